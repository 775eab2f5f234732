package importer

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// openapiDoc holds the keys of OpenAPI 2.0 and 3.x documents that a draft
// needs; a key of one version is simply absent from the other.
type openapiDoc struct {
	Swagger string `yaml:"swagger"`
	OpenAPI string `yaml:"openapi"`
	Info    struct {
		Title string `yaml:"title"`
	} `yaml:"info"`
	ExternalDocs struct {
		URL string `yaml:"url"`
	} `yaml:"externalDocs"`
	Security []map[string][]string `yaml:"security"`
	Paths    map[string]*pathItem  `yaml:"paths"`

	// OpenAPI 2.0
	Host                string                     `yaml:"host"`
	BasePath            string                     `yaml:"basePath"`
	Schemes             []string                   `yaml:"schemes"`
	Definitions         map[string]*schema         `yaml:"definitions"`
	Parameters          map[string]*parameter      `yaml:"parameters"`
	Responses           map[string]*response       `yaml:"responses"`
	SecurityDefinitions map[string]*securityScheme `yaml:"securityDefinitions"`

	// OpenAPI 3.x
	Servers    []server `yaml:"servers"`
	Components struct {
		Schemas         map[string]*schema         `yaml:"schemas"`
		Parameters      map[string]*parameter      `yaml:"parameters"`
		RequestBodies   map[string]*requestBody    `yaml:"requestBodies"`
		Responses       map[string]*response       `yaml:"responses"`
		SecuritySchemes map[string]*securityScheme `yaml:"securitySchemes"`
	} `yaml:"components"`
}

type server struct {
	URL       string `yaml:"url"`
	Variables map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"variables"`
}

type pathItem struct {
	Parameters []*parameter `yaml:"parameters"`
	Get        *opObject    `yaml:"get"`
	Put        *opObject    `yaml:"put"`
	Post       *opObject    `yaml:"post"`
	Delete     *opObject    `yaml:"delete"`
	Options    *opObject    `yaml:"options"`
	Head       *opObject    `yaml:"head"`
	Patch      *opObject    `yaml:"patch"`
	Trace      *opObject    `yaml:"trace"`
}

type opObject struct {
	OperationID string               `yaml:"operationId"`
	Summary     string               `yaml:"summary"`
	Description string               `yaml:"description"`
	Parameters  []*parameter         `yaml:"parameters"`
	RequestBody *requestBody         `yaml:"requestBody"`
	Responses   map[string]*response `yaml:"responses"`
	// Security is nil when the operation inherits the document's.
	Security *[]map[string][]string `yaml:"security"`
}

type parameter struct {
	Ref         string  `yaml:"$ref"`
	Name        string  `yaml:"name"`
	In          string  `yaml:"in"`
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Type        string  `yaml:"type"`
	Format      string  `yaml:"format"`
	Schema      *schema `yaml:"schema"`
}

type requestBody struct {
	Ref     string               `yaml:"$ref"`
	Content map[string]mediaType `yaml:"content"`
}

type response struct {
	Ref     string               `yaml:"$ref"`
	Schema  *schema              `yaml:"schema"`
	Content map[string]mediaType `yaml:"content"`
}

type mediaType struct {
	Schema *schema `yaml:"schema"`
}

type securityScheme struct {
	Type             string                `yaml:"type"`
	Flow             string                `yaml:"flow"`
	AuthorizationURL string                `yaml:"authorizationUrl"`
	TokenURL         string                `yaml:"tokenUrl"`
	Scopes           map[string]string     `yaml:"scopes"`
	Flows            map[string]*oauthFlow `yaml:"flows"`
}

type oauthFlow struct {
	AuthorizationURL string            `yaml:"authorizationUrl"`
	TokenURL         string            `yaml:"tokenUrl"`
	Scopes           map[string]string `yaml:"scopes"`
}

// OpenAPI drafts a provider spec from an OpenAPI 2.0 or 3.x document in
// JSON or YAML.
func OpenAPI(data []byte, opts Options) (*Draft, error) {
	var doc openapiDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	if doc.Swagger == "" && doc.OpenAPI == "" {
		return nil, fmt.Errorf("not an OpenAPI document: it has neither a swagger nor an " +
			"openapi version key (use capgen import discovery for Google Discovery documents)")
	}
	r := &openapiReader{doc: &doc, opts: opts}
	return build(r.read(), opts)
}

// openapiReader reads one document into the neutral form.
type openapiReader struct {
	doc  *openapiDoc
	opts Options
	a    *api
	// schemes holds the names of the security schemes that carry scopes.
	schemes map[string]bool
}

func (r *openapiReader) read() *api {
	d := r.doc
	r.a = &api{title: d.Info.Title, scopes: map[string]string{}}
	r.a.format = "OpenAPI " + firstNonEmpty(d.OpenAPI, d.Swagger)
	if isHTTPS(d.ExternalDocs.URL) {
		r.a.docs = d.ExternalDocs.URL
	}
	r.a.baseURL = r.baseURL()
	r.readSecuritySchemes()
	r.a.types = newTypeBuilder(r.schemas(), r.lookupSchema)
	for _, path := range sortedKeys(d.Paths) {
		r.readPath(path, d.Paths[path])
	}
	return r.a
}

func (r *openapiReader) v2() bool { return r.doc.Swagger != "" }

func (r *openapiReader) schemas() map[string]*schema {
	if r.v2() {
		return r.doc.Definitions
	}
	return r.doc.Components.Schemas
}

// lookupSchema resolves a local $ref to a schema.
func (r *openapiReader) lookupSchema(ref string) (string, *schema, bool) {
	prefix := "#/components/schemas/"
	if r.v2() {
		prefix = "#/definitions/"
	}
	key, ok := strings.CutPrefix(ref, prefix)
	if !ok {
		return "", nil, false
	}
	key = unescapePointer(key)
	s, ok := r.schemas()[key]
	return key, s, ok && s != nil
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// refKey returns the name a local $ref gives under prefix.
func refKey(ref, prefix string) string {
	key, _ := strings.CutPrefix(ref, prefix)
	return unescapePointer(key)
}

// baseURL is the one the options give, or else servers[0] in 3.x and
// schemes, host and basePath in 2.0.
func (r *openapiReader) baseURL() string {
	if r.opts.BaseURL != "" {
		return strings.TrimSuffix(r.opts.BaseURL, "/")
	}
	raw := r.rawBaseURL()
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		r.note("base_url: the description's server %q is not a URL; set the API's URL "+
			"here or with -base-url", raw)
		return "https://api.example.invalid"
	case u.Host == "":
		r.note("base_url: the description gives no absolute server URL (%q); set the API's "+
			"URL here or with -base-url", raw)
		return "https://api.example.invalid" + strings.TrimSuffix(u.Path, "/")
	case u.Scheme != "https":
		r.note("base_url: the description's server is %s; capgen calls https only", raw)
		u.Scheme = "https"
	}
	return strings.TrimSuffix(u.String(), "/")
}

func (r *openapiReader) rawBaseURL() string {
	d := r.doc
	if !r.v2() {
		if len(d.Servers) == 0 {
			return ""
		}
		s := d.Servers[0]
		raw := s.URL
		for _, name := range sortedKeys(s.Variables) {
			raw = strings.ReplaceAll(raw, "{"+name+"}", s.Variables[name].Default)
		}
		return raw
	}
	if d.Host == "" {
		return d.BasePath
	}
	scheme := "https"
	if len(d.Schemes) > 0 && !slices.Contains(d.Schemes, "https") {
		scheme = d.Schemes[0]
	}
	return scheme + "://" + d.Host + d.BasePath
}

func (r *openapiReader) note(format string, args ...any) {
	r.a.notes = append(r.a.notes, fmt.Sprintf(format, args...))
}

func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

var pathMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func (item *pathItem) operation(method string) *opObject {
	return map[string]*opObject{"get": item.Get, "put": item.Put, "post": item.Post,
		"delete": item.Delete, "options": item.Options, "head": item.Head, "patch": item.Patch,
		"trace": item.Trace}[method]
}

func (r *openapiReader) readPath(path string, item *pathItem) {
	if item == nil {
		return
	}
	for _, m := range pathMethods {
		o := item.operation(m)
		if o == nil {
			continue
		}
		method := strings.ToUpper(m)
		if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, method) {
			r.note("%s %s is not imported: capgen has no %s operations", method, path, method)
			continue
		}
		r.a.ops = append(r.a.ops, r.readOperation(method, path, item, o))
	}
}

func (r *openapiReader) readOperation(method, path string, item *pathItem, o *opObject) *operation {
	op := &operation{method: method, path: "/" + strings.TrimPrefix(path, "/"),
		summary: summaryOf(o.Summary, o.Description), resources: pathResources(path)}
	op.name = exported(o.OperationID)
	if o.OperationID == "" {
		op.name = pathName(method, path)
	}
	security := r.doc.Security
	if o.Security != nil {
		security = *o.Security
	}
	op.accepts = r.accepts(security)
	form := r.readParams(op, append(slices.Clone(item.Parameters), o.Parameters...))
	op.response = r.responseSchema(o.Responses)
	switch {
	case method == "GET" || method == "DELETE":
		if op.request != nil || o.RequestBody != nil {
			op.notes = append(op.notes, "the description gives this "+method+
				" a request body, which capgen cannot send; it is left out")
		}
		op.request = nil
	case o.RequestBody != nil:
		op.request = r.requestSchema(op, o.RequestBody)
	case form:
		op.notes = append(op.notes, "the description sends the request as form fields; "+
			"capgen sends the body as JSON, so check that the API accepts JSON")
	}
	reconcilePathParams(op)
	return op
}

// readParams reads path and query parameters, a 2.0 body parameter and 2.0
// form fields, and reports whether the request is made of form fields.
// Operation parameters replace path item ones of the same name.
func (r *openapiReader) readParams(op *operation, list []*parameter) (form bool) {
	byKey := map[string]*parameter{}
	var keys []string
	for _, p := range list {
		p = r.resolveParam(p)
		if p == nil {
			continue
		}
		k := p.In + " " + p.Name
		if _, dup := byKey[k]; !dup {
			keys = append(keys, k)
		}
		byKey[k] = p
	}
	fields := &schema{Type: typeNames{"object"}}
	for _, k := range keys {
		r.readParam(op, byKey[k], fields)
	}
	if len(fields.Properties.keys) > 0 && op.request == nil {
		op.request = fields
		return true
	}
	return false
}

func (r *openapiReader) readParam(op *operation, p *parameter, form *schema) {
	switch p.In {
	case "path", "query":
		op.params = append(op.params, param{name: p.Name, in: p.In, typ: r.paramType(p),
			description: summaryOf("", p.Description), required: p.Required})
	case "body":
		op.request = p.Schema
	case "formData":
		if form.Properties.byKey == nil {
			form.Properties.byKey = map[string]*schema{}
		}
		form.Properties.keys = append(form.Properties.keys, p.Name)
		form.Properties.byKey[p.Name] = &schema{Type: typeNames{p.Type}, Format: p.Format,
			Description: p.Description}
	}
}

func (r *openapiReader) resolveParam(p *parameter) *parameter {
	if p == nil || p.Ref == "" {
		return p
	}
	if r.v2() {
		return r.doc.Parameters[refKey(p.Ref, "#/parameters/")]
	}
	return r.doc.Components.Parameters[refKey(p.Ref, "#/components/parameters/")]
}

// paramType maps a parameter's type to the spec's parameter types; arrays
// become []string, anything else that is not a number or a boolean, string.
func (r *openapiReader) paramType(p *parameter) string {
	t := p.Type
	if p.Schema != nil {
		s := p.Schema
		if s.Ref != "" {
			if _, resolved, ok := r.lookupSchema(s.Ref); ok {
				s = resolved
			}
		}
		t = s.Type.primary()
	}
	switch t {
	case "integer", "number", "boolean":
		return t
	case "array":
		return "[]string"
	}
	return "string"
}

func (r *openapiReader) requestSchema(op *operation, b *requestBody) *schema {
	if b.Ref != "" {
		b = r.doc.Components.RequestBodies[refKey(b.Ref, "#/components/requestBodies/")]
		if b == nil {
			return nil
		}
	}
	s, mediaType := pickContent(b.Content)
	if mediaType != "" && !isJSON(mediaType) {
		op.notes = append(op.notes, "the description sends the request as "+mediaType+
			"; capgen sends the body as JSON, so check that the API accepts JSON")
	}
	return s
}

// responseSchema returns the schema of the first 2xx response that has one.
func (r *openapiReader) responseSchema(responses map[string]*response) *schema {
	for _, code := range sortedKeys(responses) {
		if !strings.HasPrefix(code, "2") {
			continue
		}
		resp := responses[code]
		if resp != nil && resp.Ref != "" {
			resp = r.lookupResponse(resp.Ref)
		}
		if resp == nil {
			continue
		}
		if resp.Schema != nil {
			return resp.Schema
		}
		if s, _ := pickContent(resp.Content); s != nil {
			return s
		}
	}
	return nil
}

func (r *openapiReader) lookupResponse(ref string) *response {
	if r.v2() {
		return r.doc.Responses[refKey(ref, "#/responses/")]
	}
	return r.doc.Components.Responses[refKey(ref, "#/components/responses/")]
}

// pickContent returns the schema of a JSON media type if there is one, else
// of the first media type in sorted order.
func pickContent(content map[string]mediaType) (*schema, string) {
	keys := sortedKeys(content)
	for _, k := range keys {
		if isJSON(k) && content[k].Schema != nil {
			return content[k].Schema, k
		}
	}
	for _, k := range keys {
		if content[k].Schema != nil {
			return content[k].Schema, k
		}
	}
	return nil, ""
}

func isJSON(mediaType string) bool {
	base, _, _ := strings.Cut(mediaType, ";")
	return base == "application/json" || strings.HasSuffix(base, "+json")
}
