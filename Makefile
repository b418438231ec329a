# Dragoman — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     := out/demo.db

.PHONY: install demo test bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=24"
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the pinned dependencies

demo: install  ## ingest the bundled sample corpus, print a summary, write an export
	@mkdir -p out
	rm -f $(DB)
	$(VENV)/bin/dragoman ingest samples/corpus --db sqlite:///$(DB)
	$(VENV)/bin/dragoman stats --db sqlite:///$(DB)
	$(VENV)/bin/dragoman export --db sqlite:///$(DB) --format json -o out/export.json
	$(PY) -m dragoman.export.validate out/export.json
	@echo "demo: database $(DB), export out/export.json"

test: install  ## the whole test suite (PostgreSQL tests run when a server can be started)
	DRAGOMAN_TEST_PG_URL="$$(scripts/test-postgres.sh)" $(PY) -m pytest -q

bench: install  ## ingest throughput and memory on ../shared/data/slavicner/raw
	$(VENV)/bin/dragoman bench

clean:
	rm -rf $(VENV) out *.egg-info
