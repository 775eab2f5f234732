// Package templates holds the text/template sources of what capgen writes
// that is not Go code: package documentation and, later, reports.
package templates

import (
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns the named template, parsed from the embedded sources.
func Parse(name string) (*template.Template, error) {
	return template.New(name).ParseFS(files, name)
}
