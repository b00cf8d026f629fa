#!/usr/bin/env bash
# Sourced by test.sh: starts the services the tests need and sets STOP_TEST_SERVICES to stop them.
# No service is needed yet beyond what the tests start in-process (gateway, paper exchange).
STOP_TEST_SERVICES="${STOP_TEST_SERVICES:-}"
