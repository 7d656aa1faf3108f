package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"luot/internal/random"
	"luot/server/queue"
)

// Devices is the storage of devices that RegisterDevice and RevokeDevice
// use.
type Devices interface {
	// PutDevice registers a device or updates it; an id registered in
	// another office gives an error wrapping ErrDeviceIDTaken.
	PutDevice(ctx context.Context, d queue.Device, keyHash []byte) error
	ListDevices(ctx context.Context, office string) ([]queue.Device, error)
	RevokeDevice(ctx context.Context, id string) error
}

// ErrDeviceIDTaken: a device id is registered in another office. A store
// wraps it.
var ErrDeviceIDTaken = errors.New("auth: device id taken by another office")

// RegisterDevice registers a kiosk, display or counter station in office o
// and returns it with its key, to be shown this once (only the key's Hash
// is stored).
//
// The rule, the same from the API and the administration page: the
// administrator may choose the device's id (a name to recognise it by,
// "kiosk-hall"); without one, a random id is made. A valid id of a device
// of the office that is not revoked is refused (409 device_exists: revoke
// it first, so that a stolen kiosk's old key stops working before a new
// one is issued); a revoked one is registered again with a new key; an id
// used in another office is refused (409 device_id_taken). The name is
// optional, the kind kiosk, display or station. A station is bound to a
// counter of the office (400 counter_required without one,
// unknown_counter for a counter the office does not have); a kiosk or a
// display has none (400 counter_not_station).
func RegisterDevice(ctx context.Context, st Devices, o *queue.Office, id, name string, kind queue.DeviceKind, counter string) (queue.Device, string, error) {
	office := o.ID
	if id == "" {
		id = random.ID()
	}
	if !queue.ValidID(id) {
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "invalid_device_id",
			"device id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", fmt.Sprintf("%q", truncate(id, 40)))
	}
	switch {
	case kind != queue.DeviceKiosk && kind != queue.DeviceDisplay && kind != queue.DeviceStation:
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "invalid_kind",
			"device kind {kind} is unknown: use {kiosk}, {display} or {station}", "kind", fmt.Sprintf("%q", truncate(string(kind), 20)),
			"kiosk", fmt.Sprintf("%q", queue.DeviceKiosk), "display", fmt.Sprintf("%q", queue.DeviceDisplay), "station", fmt.Sprintf("%q", queue.DeviceStation))
	case kind == queue.DeviceStation && counter == "":
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "counter_required",
			"a counter station is bound to one counter: choose its counter")
	case kind == queue.DeviceStation && o.Counter(counter) == nil:
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "unknown_counter",
			"counter {counter} does not exist in office {office}", "counter", fmt.Sprintf("%q", truncate(counter, 40)), "office", office)
	case kind != queue.DeviceStation && counter != "":
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "counter_not_station",
			"only a counter station is bound to a counter: leave the counter out for a {kind}", "kind", string(kind))
	}
	if err := queue.CheckName("device name", name, false); err != nil {
		return queue.Device{}, "", err
	}
	devs, err := st.ListDevices(ctx, office)
	if err != nil {
		return queue.Device{}, "", err
	}
	if slices.ContainsFunc(devs, func(d queue.Device) bool { return d.ID == id && !d.Revoked }) {
		return queue.Device{}, "", queue.NewError(queue.KindConflict, "device_exists",
			"device {device} is already registered: revoke it first to issue a new key", "device", id)
	}
	d := queue.Device{ID: id, Office: office, Name: name, Kind: kind, Counter: counter}
	key := random.Token()
	if err := st.PutDevice(ctx, d, Hash(key)); err != nil {
		if errors.Is(err, ErrDeviceIDTaken) {
			return queue.Device{}, "", queue.NewError(queue.KindConflict, "device_id_taken",
				"device id {id} is taken (perhaps by another office): choose another id", "id", id)
		}
		return queue.Device{}, "", err
	}
	return d, key, nil
}

// RevokeDevice revokes a device of office: its key stops working at once.
// A device of another office, or none, is 404 unknown_device.
func RevokeDevice(ctx context.Context, st Devices, office, id string) error {
	devs, err := st.ListDevices(ctx, office)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(devs, func(d queue.Device) bool { return d.ID == id }) {
		return queue.NewError(queue.KindNotFound, "unknown_device",
			"device {device} is not a device of this office", "device", fmt.Sprintf("%q", truncate(id, 40)))
	}
	return st.RevokeDevice(ctx, id)
}

// truncate shortens s to n bytes at most, for quoting input in messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
