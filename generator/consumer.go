package generator

import (
	"fmt"
	"path"
	"slices"

	"github.com/capgen/capgen/internal/manifest"
	"github.com/capgen/capgen/internal/model"
)

// Consumer is what generation for a consumer's capgen.yaml needs: the
// config, the full catalogue of its providers and the manifest built from
// them.
type Consumer struct {
	Config   *model.Config
	Catalog  *model.Catalog
	Manifest *manifest.Manifest
}

// MarkdownHeader is the first line of the manifest's Markdown report.
const MarkdownHeader = "<!-- " + manifest.GeneratedNote + " -->"

// GenerateConsumer renders a consumer's output directory: the manifest, its
// Markdown report, a package that embeds the manifest, and for every
// provider a package with only the declared capabilities, their operations
// and the feature API.
func GenerateConsumer(c Consumer) ([]OutputFile, error) {
	manifestJSON, err := manifest.Encode(c.Manifest)
	if err != nil {
		return nil, err
	}
	report, err := manifest.Markdown(c.Manifest)
	if err != nil {
		return nil, err
	}
	files := []OutputFile{
		{Path: manifest.FileName, Data: manifestJSON},
		{Path: reportFileName, Data: append([]byte(MarkdownHeader+"\n\n"), report...)},
	}
	root, err := render(rootFile(c))
	if err != nil {
		return nil, err
	}
	files = append(files, OutputFile{Path: "manifest.go", Data: root})

	for _, p := range c.Catalog.Providers {
		features := c.Config.FeaturesOf(p.Name)
		if len(features) == 0 {
			continue
		}
		restricted := p.Restrict(declared(p, features))
		pf, err := generateProvider(restricted)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Source, err)
		}
		ff, err := render(featuresFile(restricted, features, c.Manifest.Providers[p.Name]))
		if err != nil {
			return nil, fmt.Errorf("%s: rendering features.go: %w", p.Source, err)
		}
		files = append(files, pf...)
		files = append(files, OutputFile{Path: path.Join(p.Name, "features.go"), Data: ff})
	}
	sortFiles(files)
	return files, nil
}

// reportFileName is the manifest's Markdown report.
const reportFileName = "capgen.manifest.md"

// declared returns the capabilities the features use that p offers.
func declared(p *model.Provider, features []model.Feature) []string {
	var caps []string
	for _, f := range features {
		for _, c := range slices.Concat(f.Requires, f.Optional) {
			if _, ok := p.Capability(c); ok {
				caps = append(caps, c)
			}
		}
	}
	slices.Sort(caps)
	return slices.Compact(caps)
}
