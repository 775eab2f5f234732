package sandbox

import (
	"strconv"
	"strings"
)

// splitPath splits a body path of the spec language: object keys, array
// indexes and "*" for any element, separated by dots.
func splitPath(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

// setPath returns root with the value at path set, creating objects for
// keys and arrays for "*" or an index on the way; root may be nil. "*"
// stands for the first element, so that errors.*.a and errors.*.b describe
// the same element.
func setPath(root any, path []string, v any) any {
	if len(path) == 0 {
		return v
	}
	if i, ok := arrayIndex(path[0]); ok {
		arr, _ := root.([]any)
		for len(arr) <= i {
			arr = append(arr, nil)
		}
		arr[i] = setPath(arr[i], path[1:], v)
		return arr
	}
	obj, _ := root.(map[string]any)
	if obj == nil {
		obj = map[string]any{}
	}
	obj[path[0]] = setPath(obj[path[0]], path[1:], v)
	return obj
}

// getPath returns the value at a path, reading "*" as the first element.
func getPath(root any, path []string) (any, bool) {
	node := root
	for _, seg := range path {
		if i, ok := arrayIndex(seg); ok {
			arr, _ := node.([]any)
			if i >= len(arr) {
				return nil, false
			}
			node = arr[i]
			continue
		}
		obj, _ := node.(map[string]any)
		child, ok := obj[seg]
		if !ok {
			return nil, false
		}
		node = child
	}
	return node, root != nil
}

func arrayIndex(seg string) (int, bool) {
	if seg == "*" {
		return 0, true
	}
	i, err := strconv.Atoi(seg)
	return i, err == nil && i >= 0
}
