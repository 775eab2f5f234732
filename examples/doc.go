// Package example is a product that integrates with its customers' HubSpot
// and GitHub accounts the way capgen intends: capgen.yaml declares the
// product's features, go generate turns it into ./integrations, and the code
// here can call only what those features declared.
package example

//go:generate go tool capgen generate -config capgen.yaml
