package xmlrpc

import (
	"fmt"
	"reflect"
	"strconv"
)

// Unmarshaler is implemented by types that decode themselves from a Value,
// such as [Fault], [Tail] and [OptionalInt].
type Unmarshaler interface {
	UnmarshalXMLRPC(Value) error
}

var unmarshalerType = reflect.TypeFor[Unmarshaler]()

// TypeError reports a value that does not fit its Go destination, such as
// `decode field "pid": want int, got string`.
type TypeError struct {
	// Path locates the value: "" for the top level, else struct members
	// and array indexes, as in "[2].pid".
	Path string
	// Want is the XML-RPC type the destination needs, or the Go type
	// when a number is out of its range.
	Want string
	// Got is the XML-RPC type received, with the number when out of range.
	Got string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("decode %s: want %s, got %s", where(e.Path), e.Want, e.Got)
}

func where(path string) string {
	if path == "" {
		return "value"
	}
	return "field " + strconv.Quote(path)
}

// Unmarshal stores v in the Go value dst points to. It is the reverse of
// [Marshal]:
//
//   - *Value receives v as is; an [Unmarshaler] decodes itself;
//   - bool takes boolean; integer types take int, within their range;
//     float32 and float64 take double or int; string takes string;
//   - time.Time takes dateTime.iso8601; []byte takes base64 or string;
//   - slices take arrays; fixed-size arrays take arrays of their length;
//   - maps with string keys, and structs, take structs. A struct field
//     matches the member named by its `xmlrpc:"name"` tag, else by its Go
//     name, exactly; unknown members are ignored and missing ones leave the
//     field unchanged;
//   - pointers are allocated as needed; an empty interface receives
//     [Value.Interface]; <nil/> stores the zero value.
//
// A value of the wrong type yields a *[TypeError] naming the field.
func Unmarshal(v Value, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decode: destination %T is not a non-nil pointer", dst)
	}
	return unmarshal(v, rv.Elem(), "")
}

func unmarshal(v Value, rv reflect.Value, path string) error {
	if done, err := unmarshalSpecial(v, rv, path); done {
		return err
	}
	switch v.Kind() {
	case KindNil:
		rv.SetZero()
		return nil
	case KindInvalid:
		return &TypeError{Path: path, Want: rv.Type().String(), Got: "no value"}
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			rv.Set(reflect.New(rv.Type().Elem()))
		}
		return unmarshal(v, rv.Elem(), path)
	case reflect.Interface:
		if rv.NumMethod() != 0 {
			return fmt.Errorf("decode %s: unsupported destination %s", where(path), rv.Type())
		}
		rv.Set(reflect.ValueOf(v.Interface()))
		return nil
	case reflect.Bool:
		b, ok := v.AsBool()
		if !ok {
			return mismatch(path, "boolean", v)
		}
		rv.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return unmarshalInt(v, rv, path)
	case reflect.Float32, reflect.Float64:
		return unmarshalFloat(v, rv, path)
	case reflect.String:
		s, ok := v.AsString()
		if !ok {
			return mismatch(path, "string", v)
		}
		rv.SetString(s)
		return nil
	}
	return unmarshalComposite(v, rv, path)
}

func unmarshalComposite(v Value, rv reflect.Value, path string) error {
	switch rv.Kind() {
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return unmarshalBytes(v, rv, path)
		}
		return unmarshalSlice(v, rv, path)
	case reflect.Array:
		return unmarshalArray(v, rv, path)
	case reflect.Map:
		return unmarshalMap(v, rv, path)
	case reflect.Struct:
		return unmarshalStruct(v, rv, path)
	}
	return fmt.Errorf("decode %s: unsupported destination %s", where(path), rv.Type())
}

// unmarshalSpecial handles destinations that are not decoded by kind.
func unmarshalSpecial(v Value, rv reflect.Value, path string) (bool, error) {
	t := rv.Type()
	switch {
	case t == valueType:
		rv.Set(reflect.ValueOf(v))
		return true, nil
	case rv.CanAddr() && reflect.PointerTo(t).Implements(unmarshalerType):
		u, _ := reflect.TypeAssert[Unmarshaler](rv.Addr())
		if err := u.UnmarshalXMLRPC(v); err != nil {
			return true, fmt.Errorf("decode %s: %w", where(path), err)
		}
		return true, nil
	case t == timeType:
		tm, ok := v.AsDateTime()
		if !ok {
			return true, mismatch(path, "dateTime.iso8601", v)
		}
		rv.Set(reflect.ValueOf(tm))
		return true, nil
	}
	return false, nil
}

func unmarshalInt(v Value, rv reflect.Value, path string) error {
	n, ok := v.AsInt()
	if !ok {
		return mismatch(path, "int", v)
	}
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if rv.OverflowInt(n) {
			return outOfRange(path, rv, n)
		}
		rv.SetInt(n)
	default:
		if n < 0 || rv.OverflowUint(uint64(n)) {
			return outOfRange(path, rv, n)
		}
		rv.SetUint(uint64(n))
	}
	return nil
}

func unmarshalFloat(v Value, rv reflect.Value, path string) error {
	f, ok := v.AsDouble()
	if n, isInt := v.AsInt(); isInt {
		f, ok = float64(n), true
	}
	if !ok {
		return mismatch(path, "double", v)
	}
	rv.SetFloat(f)
	return nil
}

func unmarshalBytes(v Value, rv reflect.Value, path string) error {
	b, ok := v.AsBytes()
	if s, isString := v.AsString(); isString {
		b, ok = []byte(s), true
	}
	if !ok {
		return mismatch(path, "base64", v)
	}
	rv.SetBytes(append([]byte{}, b...))
	return nil
}

func unmarshalSlice(v Value, rv reflect.Value, path string) error {
	vs, ok := v.AsArray()
	if !ok {
		return mismatch(path, "array", v)
	}
	s := reflect.MakeSlice(rv.Type(), len(vs), len(vs))
	for i, e := range vs {
		if err := unmarshal(e, s.Index(i), indexPath(path, i)); err != nil {
			return err
		}
	}
	rv.Set(s)
	return nil
}

func unmarshalArray(v Value, rv reflect.Value, path string) error {
	vs, ok := v.AsArray()
	if !ok {
		return mismatch(path, "array", v)
	}
	if len(vs) != rv.Len() {
		return &TypeError{Path: path, Want: fmt.Sprintf("array of %d", rv.Len()), Got: fmt.Sprintf("array of %d", len(vs))}
	}
	for i, e := range vs {
		if err := unmarshal(e, rv.Index(i), indexPath(path, i)); err != nil {
			return err
		}
	}
	return nil
}

func unmarshalMap(v Value, rv reflect.Value, path string) error {
	ms, ok := v.AsStruct()
	if !ok {
		return mismatch(path, "struct", v)
	}
	t := rv.Type()
	if t.Key().Kind() != reflect.String {
		return fmt.Errorf("decode %s: unsupported destination %s", where(path), t)
	}
	if rv.IsNil() {
		rv.Set(reflect.MakeMapWithSize(t, len(ms)))
	}
	for _, m := range ms {
		elem := reflect.New(t.Elem()).Elem()
		if err := unmarshal(m.Value, elem, fieldPath(path, m.Name)); err != nil {
			return err
		}
		rv.SetMapIndex(reflect.ValueOf(m.Name).Convert(t.Key()), elem)
	}
	return nil
}

func unmarshalStruct(v Value, rv reflect.Value, path string) error {
	ms, ok := v.AsStruct()
	if !ok {
		return mismatch(path, "struct", v)
	}
	fs := fieldsOf(rv.Type())
	for _, m := range ms {
		for _, f := range fs {
			if f.name != m.Name {
				continue
			}
			if err := unmarshal(m.Value, rv.Field(f.index), fieldPath(path, m.Name)); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

func mismatch(path, want string, v Value) error {
	return &TypeError{Path: path, Want: want, Got: v.Kind().String()}
}

func outOfRange(path string, rv reflect.Value, n int64) error {
	return &TypeError{Path: path, Want: rv.Type().String(), Got: fmt.Sprintf("int %d (out of range)", n)}
}

func fieldPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
