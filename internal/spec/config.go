package spec

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/specs"
)

// configFile is a consumer's capgen.yaml.
type configFile struct {
	At           Pos
	Package      String             `spec:"package,required" doc:"Go package name of the output directory"`
	Output       String             `spec:"output,required" doc:"output directory, relative to this file"`
	Capabilities String             `spec:"capabilities" doc:"a capability vocabulary file; default the bundled one"`
	Providers    []String           `spec:"providers,required" doc:"bundled provider names or spec file paths"`
	Features     Map[featureSyntax] `spec:"features,required" doc:"the product's features"`
}

type featureSyntax struct {
	At          Pos
	Description String   `spec:"description" doc:"what the feature does for the product's users"`
	Requires    []String `spec:"requires,required" doc:"capabilities the feature cannot work without"`
	Optional    []String `spec:"optional" doc:"capabilities the feature uses when granted"`
	Providers   []String `spec:"providers" doc:"providers the feature applies to; default those that offer it"`
}

// LoadConfig reads a consumer's capgen.yaml and the specs it names. It
// returns the config and the full catalogue of its providers, or nil for
// both when any diagnostic is an error.
func LoadConfig(path string) (*model.Config, *model.Catalog, Diagnostics) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, Diagnostics{{Pos: Pos{File: filepath.ToSlash(path), Line: 1, Col: 1},
			Message: "cannot read file: " + describeReadError(err)}}
	}
	return ParseConfig(Source{Path: filepath.ToSlash(path), Data: data})
}

// ParseConfig is LoadConfig for a config already in memory; spec files it
// names by path are read relative to the config's directory.
func ParseConfig(src Source) (*model.Config, *model.Catalog, Diagnostics) {
	var f configFile
	cc := &configChecker{src: src, dir: filepath.Dir(filepath.FromSlash(src.Path))}
	cc.diags = parseNode(src, &f)
	if !f.Package.Set() && len(f.Providers) == 0 {
		return nil, nil, cc.diags.Sort()
	}
	cc.f = f
	vocab := cc.vocabulary()
	providers := cc.providerSources()
	cat, cdiags := Load(vocab, providers)
	cc.diags = append(cc.diags, cdiags...)
	if cat == nil {
		return nil, nil, cc.diags.Sort()
	}
	cfg := cc.resolve(cat)
	if cc.diags.HasErrors() {
		return nil, nil, cc.diags.Sort()
	}
	return cfg, cat, cc.diags.Sort()
}

type configChecker struct {
	src   Source
	f     configFile
	dir   string
	diags Diagnostics
	// names maps each providers entry to the provider it loaded.
	names map[string]String
	// unresolved is set when a providers entry could not be loaded, so
	// that features are not blamed for what that provider would offer.
	unresolved bool
}

func (cc *configChecker) errorf(p Pos, format string, args ...any) {
	cc.diags = append(cc.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

func (cc *configChecker) warnf(p Pos, format string, args ...any) {
	cc.diags = append(cc.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...), Warning: true})
}

// read loads a file named relative to the config's directory.
func (cc *configChecker) read(s String) (Source, bool) {
	path := s.Value
	if !filepath.IsAbs(path) {
		path = filepath.Join(cc.dir, filepath.FromSlash(path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		cc.errorf(s.Pos, "cannot read %s: %s", s.Value, describeReadError(err))
		return Source{}, false
	}
	return Source{Path: filepath.ToSlash(path), Data: data}, true
}

func (cc *configChecker) vocabulary() Source {
	if cc.f.Capabilities.Set() {
		src, ok := cc.read(cc.f.Capabilities)
		cc.unresolved = cc.unresolved || !ok
		return src
	}
	return Source{Path: specs.Path + "/capabilities.yaml", Data: specs.Vocabulary()}
}

// isSpecPath tells a spec file path from a bundled provider's name.
func isSpecPath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml")
}

func (cc *configChecker) providerSources() []Source {
	var out []Source
	seen := map[string]bool{}
	for _, p := range cc.f.Providers {
		if seen[p.Value] {
			cc.errorf(p.Pos, "provider %s is listed twice", p.Value)
			continue
		}
		seen[p.Value] = true
		if isSpecPath(p.Value) {
			src, ok := cc.read(p)
			if ok {
				out = append(out, src)
			}
			cc.unresolved = cc.unresolved || !ok
			continue
		}
		data, ok := specs.Provider(p.Value)
		if !ok {
			cc.unresolved = true
			cc.errorf(p.Pos, "unknown provider %q%s (bundled: %s; or give the path of a spec file)",
				p.Value, didYouMean(p.Value, specs.Providers()), strings.Join(specs.Providers(), ", "))
			continue
		}
		out = append(out, Source{Path: specs.Path + "/providers/" + p.Value + ".yaml", Data: data})
	}
	return out
}

var packageName = providerName

func (cc *configChecker) resolve(cat *model.Catalog) *model.Config {
	if cc.f.Package.Set() && !packageName.MatchString(cc.f.Package.Value) {
		cc.errorf(cc.f.Package.Pos, "package %q must be a lower-case Go package name", cc.f.Package.Value)
	}
	cfg := &model.Config{
		Source:  cc.src.Path,
		Package: cc.f.Package.Value,
		Output:  cc.f.Output.Value,
	}
	cc.nameProviders(cat)
	vocab := map[string]bool{}
	var vocabNames []string
	for _, v := range cat.Vocabulary {
		vocab[v.Name] = true
		vocabNames = append(vocabNames, v.Name)
	}
	for _, e := range cc.f.Features.Entries {
		f := cc.resolveFeature(cat, e.Key, e.Value, vocab, vocabNames)
		cfg.Features = append(cfg.Features, f)
	}
	slices.SortFunc(cfg.Features, func(a, b model.Feature) int { return cmp.Compare(a.Name, b.Name) })
	return cfg
}

// nameProviders records which provider each providers entry loaded: the
// entry itself for a bundled name, the spec's provider name for a path.
func (cc *configChecker) nameProviders(cat *model.Catalog) {
	cc.names = map[string]String{}
	for _, entry := range cc.f.Providers {
		for _, p := range cat.Providers {
			if p.Name == entry.Value || (isSpecPath(entry.Value) && sameFile(cc.dir, entry.Value, p.Source)) {
				cc.names[p.Name] = entry
			}
		}
	}
}

func sameFile(dir, entry, source string) bool {
	path := entry
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, filepath.FromSlash(entry))
	}
	return filepath.ToSlash(path) == source
}

var featureName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
