#!/usr/bin/env bash
# Load run on loopback: starts natreport with demo data on a throwaway
# SQLite file, signs in as Japan's focal point, and drives it with wrk:
#   1. the largest section page (GET),
#   2. autosave (POST, each connection saves its own answer with the
#      version the previous reply gave, as the page script does).
# Bounded in time; only 127.0.0.1 is targeted. Prints wrk's figures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 1; }
DUR=${DUR:-15s}
PORT=${PORT:-18089}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/natreport" ./cmd/natreport
"$work/natreport" serve -demo -db "$work/nr.db" -addr 127.0.0.1:$PORT >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 50); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
curl -sf -c "$work/jar" -o /dev/null -d 'email=jpn.cert@demo.natreport.example&password=natreport-demo-2026' http://127.0.0.1:$PORT/login
cookie=$(awk '$6=="natreport_session"{print $7}' "$work/jar")
[ -n "$cookie" ] || { echo "sign-in failed"; cat "$work/out"; exit 1; }
# A fresh draft to write into: Kenya's is a draft in the demo; sign in as its focal point.
curl -sf -c "$work/jar2" -o /dev/null -d 'email=ken.focal@demo.natreport.example&password=natreport-demo-2026' http://127.0.0.1:$PORT/login
kcookie=$(awk '$6=="natreport_session"{print $7}' "$work/jar2")
section=$(go run ./scripts/largest)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== GET largest section page ($section), 2 threads, 8 connections, $DUR"
wrk -t2 -c8 -d"$DUR" -H "Cookie: natreport_session=$cookie" "http://127.0.0.1:$PORT/reports/JPN/2026-2027/sections/$section"
cat >"$work/autosave.lua" <<'LUA'
-- Each thread has one connection and saves its own answer, sending the
-- version the previous reply gave (as the page script does).
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("code", "II.h." .. counter)
  table.insert(threads, thread)
end
function init(args)
  version = 0
  n = 0
end
function request()
  n = n + 1
  local st = (n % 2 == 0) and "yes" or "partly"
  local body = "v." .. code .. "=" .. version .. "&" .. code .. ".status=" .. st .. "&" .. code .. ".challenges=load+run+" .. n
  -- wrk.format does not merge the -H headers when given its own: copy them.
  local h = {["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json"}
  for k, v in pairs(wrk.headers) do h[k] = v end
  return wrk.format("POST", "/reports/KEN/2026-2027/answers/" .. code, h, body)
end
function response(status, headers, body)
  local v = string.match(body, '"version":(%d+)')
  if v then version = tonumber(v) end
end
LUA
echo "== POST autosave, 2 threads x 1 connection, $DUR"
wrk -t2 -c2 -d"$DUR" -s "$work/autosave.lua" -H "Cookie: natreport_session=$kcookie" "http://127.0.0.1:$PORT"
