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

// RegisterDevice registers a kiosk or display in office and returns it
// with its key, to be shown this once (only the key's Hash is stored).
//
// The rule, the same from the API and the administration page: the
// administrator may choose the device's id (a name to recognise it by,
// "kiosk-hall"); without one, a random id is made. A valid id of a device
// of the office that is not revoked is refused (409 device_exists: revoke
// it first, so that a stolen kiosk's old key stops working before a new
// one is issued); a revoked one is registered again with a new key; an id
// used in another office is refused (409 device_id_taken). The name is
// optional, the kind kiosk or display.
func RegisterDevice(ctx context.Context, st Devices, office, id, name string, kind queue.DeviceKind) (queue.Device, string, error) {
	if id == "" {
		id = random.ID()
	}
	if !queue.ValidID(id) {
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "invalid_device_id",
			"device id {id} is not valid: use 1–32 lower-case letters, digits, '-' or '_'", "id", fmt.Sprintf("%q", truncate(id, 40)))
	}
	if kind != queue.DeviceKiosk && kind != queue.DeviceDisplay {
		return queue.Device{}, "", queue.NewError(queue.KindInvalid, "invalid_kind",
			"device kind {kind} is unknown: use {kiosk} or {display}", "kind", fmt.Sprintf("%q", truncate(string(kind), 20)),
			"kiosk", fmt.Sprintf("%q", queue.DeviceKiosk), "display", fmt.Sprintf("%q", queue.DeviceDisplay))
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
	d := queue.Device{ID: id, Office: office, Name: name, Kind: kind}
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
