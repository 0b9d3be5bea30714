import sys

from heygen_cli.main import main

sys.exit(main())
