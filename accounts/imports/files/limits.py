"""What an uploaded or imported account list may hold; each limit has its own clear error."""

MAX_ROWS = 100_000  # account rows, the heading row not counted
MAX_COLUMNS = 40
MAX_CELL_CHARS = 32_767  # what a spreadsheet cell itself can hold
MAX_FILE_BYTES = 25 * 1024 * 1024
# An XLSX file is a zip: what its members unpack to, read from the zip directory before any
# member is opened (a zip bomb is refused before it is unpacked).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
