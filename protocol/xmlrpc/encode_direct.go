package xmlrpc

import (
	"fmt"
	"math"
	"reflect"
	"sync"

	"github.com/lancerhq/lancer/internal/pyrepr"
)

// reflectValue writes rv exactly as marshal would convert it and value
// would then write it, without building the Value tree in between: the
// daemon's getAllProcessInfo answer for 500 processes is some 8,000
// values, and the tree was most of its allocations. Types marshal treats
// specially (Value, time.Time, Marshaler, []byte) and maps go through
// marshal. On an error, e.err is set and the caller asks marshal for its
// message, which names the field or index.
func (e *encoder) reflectValue(rv reflect.Value, depth int) {
	if e.err != nil {
		return
	}
	if depth > maxMarshalDepth || !rv.IsValid() {
		e.err = errDirect
		return
	}
	if maybeSpecial(rv.Type()) {
		if v, ok, err := marshalSpecial(rv); ok {
			if err != nil {
				e.err = err
				return
			}
			e.value(v)
			return
		}
	}
	switch rv.Kind() {
	case reflect.Bool:
		e.value(Bool(rv.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() > math.MaxInt64 {
			e.err = errDirect
			return
		}
		e.int(int64(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		e.str("<value><double>" + pyrepr.Float(rv.Float()) + "</double></value>\n")
	case reflect.String:
		e.str("<value><string>")
		e.text(rv.String())
		e.str("</string></value>\n")
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			e.err = errDirect
			return
		}
		e.reflectValue(rv.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		e.str("<value><array><data>\n")
		for i := range rv.Len() {
			e.reflectValue(rv.Index(i), depth+1)
		}
		e.str("</data></array></value>\n")
	case reflect.Struct:
		e.reflectStruct(rv, depth)
	default: // maps (sorted by key) and what marshal refuses
		v, err := marshal(rv, depth)
		if err != nil {
			e.err = err
			return
		}
		e.value(v)
	}
}

func (e *encoder) reflectStruct(rv reflect.Value, depth int) {
	e.str("<value><struct>\n")
	for _, f := range fieldsOf(rv.Type()) {
		fv := rv.Field(f.index)
		if f.omitEmpty && fv.IsZero() {
			continue
		}
		e.str("<member>\n<name>")
		e.text(f.name)
		e.str("</name>\n")
		switch f.fast {
		case reflect.String:
			e.str("<value><string>")
			e.text(fv.String())
			e.str("</string></value>\n")
		case reflect.Int:
			e.int(fv.Int())
		default:
			e.reflectValue(fv, depth+1)
		}
		e.str("</member>\n")
	}
	e.str("</struct></value>\n")
}

// specialTypes caches maybeSpecial by type: asking reflect whether a type
// implements Marshaler for each of thousands of values was a fifth of a
// large response's encoding.
var specialTypes sync.Map // reflect.Type -> bool

// maybeSpecial reports whether marshalSpecial may handle values of t.
func maybeSpecial(t reflect.Type) bool {
	if v, ok := specialTypes.Load(t); ok {
		return v.(bool)
	}
	special := t == valueType || t == timeType || t.Implements(marshalerType) ||
		reflect.PointerTo(t).Implements(marshalerType) ||
		(t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8)
	specialTypes.Store(t, special)
	return special
}

// errDirect marks a value the direct encoder cannot write; marshal then
// says why.
var errDirect = fmt.Errorf("xmlrpc: value marshal refuses")
