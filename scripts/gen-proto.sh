#!/usr/bin/env bash
# Regenerates Sources/ProfileModel/Generated/profile.pb.swift from proto/profile.proto.
#
# The generated Swift is committed: the package never runs protoc at build time. Run this script after
# changing proto/profile.proto and commit both files together.
#
# Requirements:
#   protoc            apt-get install protobuf-compiler
#   protoc-gen-swift  the plugin from swift-protobuf, same version as Package.resolved pins (1.39.x):
#                       git clone --branch 1.39.0 https://github.com/apple/swift-protobuf
#                       (cd swift-protobuf && swift build -c release --product protoc-gen-swift)
#                     then put .build/release/protoc-gen-swift on PATH or set PROTOC_GEN_SWIFT to it.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_dir="$repo_root/proto"
out_dir="$repo_root/Sources/ProfileModel/Generated"

plugin="${PROTOC_GEN_SWIFT:-}"
if [[ -z "$plugin" ]]; then
    if command -v protoc-gen-swift >/dev/null 2>&1; then
        plugin="$(command -v protoc-gen-swift)"
    elif [[ -x /tmp/setup/protobuf/.build/release/protoc-gen-swift ]]; then
        plugin=/tmp/setup/protobuf/.build/release/protoc-gen-swift
    fi
fi
if [[ -z "$plugin" || ! -x "$plugin" ]]; then
    echo "gen-proto.sh: protoc-gen-swift not found." >&2
    echo "  Build it from swift-protobuf (product protoc-gen-swift):" >&2
    echo "    git clone --branch 1.39.0 https://github.com/apple/swift-protobuf" >&2
    echo "    (cd swift-protobuf && swift build -c release --product protoc-gen-swift)" >&2
    echo "  then set PROTOC_GEN_SWIFT=/path/to/swift-protobuf/.build/release/protoc-gen-swift" >&2
    exit 1
fi
if ! command -v protoc >/dev/null 2>&1; then
    echo "gen-proto.sh: protoc not found; install it (apt-get install protobuf-compiler)." >&2
    exit 1
fi

mkdir -p "$out_dir"
protoc \
    --plugin="protoc-gen-swift=$plugin" \
    --proto_path="$proto_dir" \
    --swift_out="$out_dir" \
    --swift_opt=Visibility=Internal \
    --swift_opt=UseAccessLevelOnImports=true \
    "$proto_dir/profile.proto"

echo "wrote ${out_dir#"$repo_root"/}/profile.pb.swift ($("$plugin" --version))"
