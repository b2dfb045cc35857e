package trace

import "reflect"

// Clone returns a deep copy of s: folding more events into either leaves
// the other as it was. The page keeps clones as checkpoints, so that
// stepping back or seeking folds a few hundred events, not the whole trace.
//
// It copies by reflection, so a field added to any state is copied without
// anyone remembering to: state holds only maps, slices, pointers, structs
// and plain values.
func (s *Snapshot) Clone() *Snapshot {
	return deepCopy(reflect.ValueOf(s)).Interface().(*Snapshot)
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(deepCopy(v.Elem()))
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(deepCopy(v.Index(i)))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			c.Field(i).Set(deepCopy(v.Field(i)))
		}
		return c
	case reflect.Interface:
		panic("trace: a snapshot holds no interfaces")
	}
	return v
}
