# The two set-up commands of README.md. Both install what is missing first (bin/install).
.PHONY: run test bench clean

run:
	@bin/run

test:
	@bin/test

# `make bench` runs every benchmark (each writes its figures into README.md);
# `make bench BENCH="identity scheduler"` runs some of them.
BENCH ?= identity ldap scheduler images network objects boot vm_boot volumes
bench:
	@bin/install --test >/dev/null
	@for name in $(BENCH); do echo "== bench.$$name"; .venv/bin/python -m bench.$$name || exit 1; done

clean:
	rm -rf var .venv clouds.yaml
