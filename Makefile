.PHONY: generate check test

generate:
	go run ./cmd/capgen generate

check:
	go run ./cmd/capgen check
	go run ./cmd/capgen generate -check

test:
	go test ./...
