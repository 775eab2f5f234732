package spec

import (
	"errors"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a diagnostic at the line the
// parser names (yaml.v3 gives no column, so the column is 1).
func yamlError(file string, err error) Diagnostic {
	if errors.Is(err, io.EOF) {
		return Diagnostic{Pos: Pos{File: file, Line: 1, Col: 1}, Message: "the file is empty"}
	}
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Diagnostic{Pos: Pos{File: file, Line: line, Col: 1}, Message: "invalid YAML: " + m[2]}
	}
	return Diagnostic{Pos: Pos{File: file, Line: 1, Col: 1},
		Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func reflectValue(ptr any) reflect.Value {
	return reflect.ValueOf(ptr).Elem()
}
