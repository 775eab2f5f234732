module github.com/capgen/capgen

go 1.26.0

require (
	github.com/dave/jennifer v1.7.1
	github.com/google/go-cmp v0.7.0
	golang.org/x/oauth2 v0.38.0
	golang.org/x/tools v0.52.0
	gopkg.in/yaml.v3 v3.0.1
)
