"""Each benchmark writes its figures into README.md between <!-- bench:NAME --> markers."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def write_block(name, text, readme=README):
    """Replace (or append under "## Benchmarks") the block of benchmark `name` in README.md."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    content = readme.read_text()
    block = f"{begin}\n{text}\n{end}"
    if begin in content:
        content = re.sub(re.escape(begin) + r".*?" + re.escape(end), lambda _: block, content, flags=re.S)
    else:
        if "\n## Benchmarks\n" not in content:
            content = content.rstrip("\n") + "\n\n## Benchmarks\n"
        content = content.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(content)
