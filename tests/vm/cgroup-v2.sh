#!/usr/bin/env bash
exec "$(dirname "$0")/cgroup-run.sh" v2
