package main

import (
	"fmt"
	"io"
	"path"

	"github.com/capgen/capgen/generator"
	"github.com/capgen/capgen/internal/model"
)

// providersPage is the catalogue page that generate keeps current beside
// the packages when it runs on the default specs/ into the default
// generated/, which is how the bundled catalogue is built.
const providersPage = "docs/providers.md"

// withProvidersPage adds the catalogue page to the rendered packages. The
// files are then relative to the current directory rather than generated/,
// so that one plan covers both and generate -check reports both.
func withProvidersPage(cat *model.Catalog, files []generator.OutputFile, stderr io.Writer) (
	[]generator.OutputFile, string, bool) {
	page, err := generator.ProvidersPage(cat)
	if err != nil {
		fmt.Fprintf(stderr, "capgen: %s: %v\n", providersPage, err)
		return nil, "", false
	}
	out := make([]generator.OutputFile, 0, len(files)+1)
	for _, f := range files {
		f.Path = path.Join(defaultOutput, f.Path)
		out = append(out, f)
	}
	out = append(out, generator.OutputFile{Path: providersPage, Data: page})
	return out, ".", true
}
