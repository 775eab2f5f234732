module github.com/capgen/capgen/examples

go 1.26.0

tool github.com/capgen/capgen/cmd/capgen

require (
	github.com/capgen/capgen v0.0.0
	golang.org/x/oauth2 v0.38.0
)

require (
	github.com/dave/jennifer v1.7.1 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/capgen/capgen => ../
