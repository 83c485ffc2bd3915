# The two set-up commands of README.md. Both install what is missing first (bin/install).
.PHONY: run test bench clean

run:
	@bin/run

test:
	@bin/test

bench:
	@bin/install --test >/dev/null && .venv/bin/python -m bench.identity

clean:
	rm -rf var .venv clouds.yaml
