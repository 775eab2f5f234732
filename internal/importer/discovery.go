package importer

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// discoveryDoc holds the keys of a Google API Discovery document that a
// draft needs.
type discoveryDoc struct {
	DiscoveryVersion  string `yaml:"discoveryVersion"`
	Title             string `yaml:"title"`
	RootURL           string `yaml:"rootUrl"`
	ServicePath       string `yaml:"servicePath"`
	DocumentationLink string `yaml:"documentationLink"`
	Auth              struct {
		OAuth2 struct {
			Scopes map[string]struct {
				Description string `yaml:"description"`
			} `yaml:"scopes"`
		} `yaml:"oauth2"`
	} `yaml:"auth"`
	Schemas   map[string]*schema            `yaml:"schemas"`
	Resources map[string]*discoveryResource `yaml:"resources"`
	Methods   map[string]*discoveryMethod   `yaml:"methods"`
}

type discoveryResource struct {
	Methods   map[string]*discoveryMethod   `yaml:"methods"`
	Resources map[string]*discoveryResource `yaml:"resources"`
}

type discoveryMethod struct {
	ID          string                     `yaml:"id"`
	Path        string                     `yaml:"path"`
	FlatPath    string                     `yaml:"flatPath"`
	HTTPMethod  string                     `yaml:"httpMethod"`
	Description string                     `yaml:"description"`
	Parameters  map[string]*discoveryParam `yaml:"parameters"`
	Request     *schema                    `yaml:"request"`
	Response    *schema                    `yaml:"response"`
	Scopes      []string                   `yaml:"scopes"`
}

type discoveryParam struct {
	Type        string `yaml:"type"`
	Location    string `yaml:"location"`
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Repeated    bool   `yaml:"repeated"`
}

// Google's OAuth 2.0 endpoints, as golang.org/x/oauth2/google.Endpoint
// names them; Discovery documents list scopes but no endpoints.
const (
	googleAuthorizeURL = "https://accounts.google.com/o/oauth2/auth"
	googleTokenURL     = "https://oauth2.googleapis.com/token"
)

// Discovery drafts a provider spec from a Google API Discovery document.
func Discovery(data []byte, opts Options) (*Draft, error) {
	if opts.AlternativesInOneRequirement {
		return nil, errors.New("alternatives in one requirement applies to OpenAPI documents " +
			"only: Discovery lists each scope as an alternative already")
	}
	var doc discoveryDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the Discovery document: %w", err)
	}
	if doc.DiscoveryVersion == "" {
		return nil, errors.New("not a Discovery document: it has no discoveryVersion key " +
			"(use capgen import openapi for OpenAPI documents)")
	}
	r := &discoveryReader{doc: &doc, opts: opts}
	return build(r.read(), opts)
}

type discoveryReader struct {
	doc  *discoveryDoc
	opts Options
	a    *api
}

func (r *discoveryReader) read() *api {
	d := r.doc
	r.a = &api{format: "Google API Discovery " + d.DiscoveryVersion, title: d.Title,
		scopes: map[string]string{}}
	if isHTTPS(d.DocumentationLink) {
		r.a.docs = d.DocumentationLink
	}
	r.a.baseURL = r.baseURL()
	for name, s := range d.Auth.OAuth2.Scopes {
		r.a.scopes[name] = s.Description
	}
	if r.opts.NoScope != "" {
		delete(r.a.scopes, r.opts.NoScope)
	}
	if len(d.Auth.OAuth2.Scopes) > 0 {
		r.a.auth = &oauth2URLs{authorize: googleAuthorizeURL, token: googleTokenURL}
		r.a.notes = append(r.a.notes, "auth: Google issues a refresh token only when asked "+
			"with params access_type: offline; add it, and incremental: true with "+
			"include_granted_scopes, if the product needs them")
	}
	r.a.types = newTypeBuilder(d.Schemas, func(ref string) (string, *schema, bool) {
		s, ok := d.Schemas[ref]
		return ref, s, ok && s != nil
	})
	r.readMethods(nil, d.Methods)
	r.readResources(nil, d.Resources)
	return r.a
}

// baseURL is the one the options give, or else rootUrl followed by
// servicePath.
func (r *discoveryReader) baseURL() string {
	if r.opts.BaseURL != "" {
		return strings.TrimSuffix(r.opts.BaseURL, "/")
	}
	raw := r.doc.RootURL + r.doc.ServicePath
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme != "https" {
		r.a.notes = append(r.a.notes, fmt.Sprintf("base_url: rootUrl and servicePath give %q, "+
			"not an absolute https URL; set it here or with -base-url", raw))
		return "https://api.example.invalid"
	}
	return strings.TrimSuffix(raw, "/")
}

func (r *discoveryReader) readResources(chain []string, resources map[string]*discoveryResource) {
	for _, name := range sortedKeys(resources) {
		res := resources[name]
		if res == nil {
			continue
		}
		inner := append(slices.Clone(chain), name)
		r.readMethods(inner, res.Methods)
		r.readResources(inner, res.Resources)
	}
}

func (r *discoveryReader) readMethods(chain []string, methods map[string]*discoveryMethod) {
	for _, name := range sortedKeys(methods) {
		m := methods[name]
		if m == nil {
			continue
		}
		method := strings.ToUpper(m.HTTPMethod)
		if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, method) {
			r.a.notes = append(r.a.notes, fmt.Sprintf("%s (%s %s) is not imported: capgen has "+
				"no %s operations", m.ID, method, m.Path, method))
			continue
		}
		r.a.ops = append(r.a.ops, r.readMethod(chain, method, m))
	}
}

func (r *discoveryReader) readMethod(chain []string, method string, m *discoveryMethod) *operation {
	op := &operation{name: discoveryName(m.ID), method: method, resources: chain,
		summary: summaryOf("", m.Description), response: m.Response}
	op.path = r.path(op, m)
	if method != "GET" && method != "DELETE" {
		op.request = m.Request
	}
	for _, name := range sortedKeys(m.Parameters) {
		p := m.Parameters[name]
		if p == nil || p.Location != "path" && p.Location != "query" {
			continue
		}
		op.params = append(op.params, param{name: name, in: p.Location, typ: p.paramType(),
			description: summaryOf("", p.Description), required: p.Required})
	}
	op.accepts = [][]string{{}}
	if len(m.Scopes) > 0 {
		op.accepts = nil
		for _, s := range m.Scopes {
			op.accepts = append(op.accepts, slices.DeleteFunc([]string{s}, r.isNoScope))
		}
		op.accepts = normalize(op.accepts)
	}
	reconcilePathParams(op)
	return op
}

func (r *discoveryReader) isNoScope(s string) bool {
	return r.opts.NoScope != "" && s == r.opts.NoScope
}

// path returns the method's path below the base URL. A path with a
// reserved expansion such as {+name} is replaced by its flatPath, whose
// placeholders each hold one segment.
func (r *discoveryReader) path(op *operation, m *discoveryMethod) string {
	p := m.Path
	switch {
	case strings.Contains(p, "{+") && m.FlatPath != "":
		p = m.FlatPath
		op.notes = append(op.notes, "the path is the description's flatPath; its parameters "+
			"stand for the segments of "+m.Path)
	case strings.Contains(p, "{+"):
		op.notes = append(op.notes, "the description's path "+m.Path+" takes a value with "+
			"slashes, which a path parameter escapes; split it into segments")
	}
	if rooted, ok := strings.CutPrefix(p, "/"); ok {
		p = rooted
		if service := r.doc.ServicePath; service != "" {
			if rest, ok := strings.CutPrefix(rooted, service); ok {
				p = rest
			} else {
				op.notes = append(op.notes, "the description's path is relative to rootUrl, "+
					"not to servicePath; fix path or base_url")
			}
		}
	}
	return "/" + p
}

func (p *discoveryParam) paramType() string {
	switch {
	case p.Repeated:
		return "[]string"
	case p.Type == "integer" || p.Type == "number" || p.Type == "boolean":
		return p.Type
	}
	return "string"
}
