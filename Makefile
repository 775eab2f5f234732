.PHONY: generate check test

generate:
	go run ./cmd/capgen generate
	go run ./cmd/capgen generate -config examples/capgen.yaml

check:
	go run ./cmd/capgen check
	go run ./cmd/capgen generate -check
	go run ./cmd/capgen generate -check -config examples/capgen.yaml

test:
	go test ./... ./examples/... ./sandbox/...
