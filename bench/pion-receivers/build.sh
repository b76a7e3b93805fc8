#!/bin/sh
# Builds ./pion-receivers offline against Debian's Pion (golang-go, golang-github-pion-webrtc.v3-dev in
# /usr/share/gocode): GOPATH mode, no module proxy, nothing downloaded. GOPATH mode resolves the /v3 import
# path only for code inside a GOPATH, so this folder is linked into one (.gopath).
set -e
cd "$(dirname "$0")"
HERE="$(pwd -P)"
mkdir -p .gopath/src
ln -sfn "$HERE" .gopath/src/pion-receivers
export GO111MODULE=off GOPATH="$HERE/.gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= GOCACHE="$HERE/.cache" GOTOOLCHAIN=local
cd .gopath/src/pion-receivers
export PWD="$HERE/.gopath/src/pion-receivers"
exec go build -o "$HERE/pion-receivers" .
