"""The CLI's own failure: one line for stderr and an exit status."""

USAGE = 2  # the command, its input or the environment is wrong: nothing was sent
ACTION = 1  # the action ran and failed (HeyGen said no, a job failed, the network broke)


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = USAGE):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
