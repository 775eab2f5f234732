package spec

import (
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/gonames"
	"github.com/capgen/capgen/internal/model"
)

func (cc *configChecker) resolveFeature(cat *model.Catalog, name String, fs featureSyntax,
	vocab map[string]bool, vocabNames []string) model.Feature {
	if !featureName.MatchString(name.Value) {
		cc.errorf(name.Pos, "feature name %q must be lower-case letters, digits and underscores",
			name.Value)
	}
	f := model.Feature{Name: name.Value, Description: strings.TrimSpace(fs.Description.Value)}
	listed := map[string]bool{}
	capList := func(items []String) []string {
		var out []string
		for _, c := range items {
			switch {
			case !vocab[c.Value]:
				cc.errorf(c.Pos, "capability %q is not in the vocabulary%s", c.Value,
					didYouMean(c.Value, vocabNames))
			case listed[c.Value]:
				cc.errorf(c.Pos, "feature %s lists capability %s twice", name.Value, c.Value)
			default:
				out = append(out, c.Value)
			}
			listed[c.Value] = true
		}
		slices.Sort(out)
		return out
	}
	f.Requires = capList(fs.Requires)
	f.Optional = capList(fs.Optional)
	if len(fs.Requires) == 0 && fs.Requires != nil {
		cc.errorf(fs.At, "feature %s requires no capability: list at least one", name.Value)
	}
	if cc.unresolved {
		return f
	}
	f.Providers = cc.featureProviders(cat, name, fs, f)
	cc.checkOptional(cat, name, fs, f)
	cc.checkFeatureGoName(cat, name, f)
	return f
}

// featureProviders returns the providers a feature applies to: those it
// lists, each of which must offer every required capability, or else those
// that offer any of them, which must then offer all.
func (cc *configChecker) featureProviders(cat *model.Catalog, name String, fs featureSyntax,
	f model.Feature) []string {
	var out []string
	if fs.Providers != nil {
		for _, p := range fs.Providers {
			prov := cc.provider(cat, p.Value)
			if prov == nil {
				cc.errorf(p.Pos, "feature %s names provider %s, which is not under providers",
					name.Value, p.Value)
				continue
			}
			cc.checkOffers(prov, name, f, p.Pos)
			out = append(out, prov.Name)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for _, prov := range cat.Providers {
		if !offersAny(prov, f.Requires) {
			continue
		}
		cc.checkOffers(prov, name, f, cc.names[prov.Name].Pos)
		out = append(out, prov.Name)
	}
	if out == nil && len(f.Requires) > 0 {
		cc.errorf(name.Pos, "no listed provider offers the capabilities feature %s requires (%s)",
			name.Value, strings.Join(f.Requires, ", "))
	}
	return out
}

func (cc *configChecker) provider(cat *model.Catalog, name string) *model.Provider {
	for _, p := range cat.Providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func offersAny(p *model.Provider, caps []string) bool {
	return slices.ContainsFunc(caps, func(c string) bool { _, ok := p.Capability(c); return ok })
}

// checkOffers reports the required capabilities a provider cannot satisfy.
func (cc *configChecker) checkOffers(p *model.Provider, name String, f model.Feature, at Pos) {
	var lacking []string
	for _, c := range f.Requires {
		if _, ok := p.Capability(c); !ok {
			lacking = append(lacking, c)
		}
	}
	if len(lacking) > 0 {
		cc.errorf(at, "feature %s requires %s, which provider %s cannot satisfy (its spec has no "+
			"requirement for it); list the feature's providers explicitly or drop the capability",
			name.Value, strings.Join(lacking, ", "), p.Name)
	}
}

// checkOptional warns about optional capabilities no provider of the
// feature offers: they could never be available.
func (cc *configChecker) checkOptional(cat *model.Catalog, name String, fs featureSyntax, f model.Feature) {
	for _, c := range fs.Optional {
		offered := false
		for _, pn := range f.Providers {
			if p := cc.provider(cat, pn); p != nil {
				if _, ok := p.Capability(c.Value); ok {
					offered = true
				}
			}
		}
		if !offered && len(f.Providers) > 0 {
			cc.warnf(c.Pos, "optional capability %s of feature %s is offered by none of its providers (%s)",
				c.Value, name.Value, strings.Join(f.Providers, ", "))
		}
	}
}

// featureNames are the Go names a feature adds to each provider package.
func featureNames(feature string) []string {
	n := gonames.Exported(feature)
	return []string{n, "Feature" + n}
}

// checkFeatureGoName reports a feature whose Go names clash with a name of
// a provider package it is generated into.
func (cc *configChecker) checkFeatureGoName(cat *model.Catalog, name String, f model.Feature) {
	for _, pn := range f.Providers {
		p := cc.provider(cat, pn)
		if p == nil {
			continue
		}
		taken := providerGoNames(p)
		for _, n := range featureNames(f.Name) {
			if what, ok := taken[n]; ok {
				cc.errorf(name.Pos, "feature %s becomes Go name %s, which in package %s is already %s "+
					"(rename the feature)", f.Name, n, p.Name, what)
			}
		}
	}
}

// grantMethods are the methods every generated Grant has besides one per
// capability and one per feature.
var grantMethods = []string{"Capability", "Scopes", "Verify", "IncrementalAuthRequest", "Probe"}

// providerGoNames maps the exported names of a provider's package to what
// they are.
func providerGoNames(p *model.Provider) map[string]string {
	taken := map[string]string{}
	for _, n := range reservedNames {
		taken[n] = "a name of the generated package"
	}
	for _, n := range grantMethods {
		taken[n] = "a method of Grant"
	}
	for _, c := range p.Capabilities {
		taken[gonames.Exported(c.Name)] = "the handle of capability " + c.Name
	}
	for _, t := range p.Types {
		taken[t.Name] = "type " + t.Name
	}
	for _, op := range p.Operations {
		taken[op.Name+"Params"] = "the parameters of operation " + op.Name
	}
	return taken
}
