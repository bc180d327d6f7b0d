#!/bin/sh
# Regenerate test/fixtures/cluster/openair-pam.json (R parity fixtures for trajectory clustering).
# Needs Debian's R: apt-get install -y r-base-core r-cran-cluster
set -eu
cd "$(dirname "$0")/.."
Rscript scripts/make-cluster-fixtures.R
