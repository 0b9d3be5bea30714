#!/usr/bin/env bash
# Builds the virtualenv from the Python named in .python-version, on a machine that has nothing yet.
set -euo pipefail
version="$1"
venv="$2"
find_python() {
  for candidate in "python${version%.*}" "$HOME/.pyenv/versions/$version/bin/python" "/root/.pyenv/versions/$version/bin/python" python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import sys; sys.exit(0 if sys.version_info[:2] == tuple(map(int, '$version'.split('.')[:2])) else 1)" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    pyenv install -s "$version" >&2
    echo "$(pyenv root)/versions/$version/bin/python"
    return 0
  fi
  return 1
}
python_bin=$(find_python) || { echo "Python $version not found (install it, e.g. with pyenv)" >&2; exit 1; }
rm -rf "$venv"
"$python_bin" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r requirements-dev.txt
echo "built $venv with $("$venv/bin/python" --version)"
