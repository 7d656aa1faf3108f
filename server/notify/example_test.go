package notify_test

import (
	"fmt"

	"luot/server/notify"
)

func ExampleSMSText() {
	n := notify.Notice{Key: notify.TicketKey("T1", "near"), Kind: notify.TicketNear,
		Params: map[string]string{"number": "A012", "ahead": "3"}}
	fmt.Println(notify.SMSText(n, "vi", "https://l.vn/t/T1", "https://l.vn/u/Zp4", false))
	fmt.Println(notify.SMSText(n, "vi", "https://l.vn/t/T1", "https://l.vn/u/Zp4", true))
	fmt.Println(notify.SMSText(n, "en", "https://l.vn/t/T1", "https://l.vn/u/Zp4", false))
	// Output:
	// Sắp đến lượt bạn: số A012, còn 3 người trước. https://l.vn/t/T1 Hủy: https://l.vn/u/Zp4
	// Sap den luot ban: so A012, con 3 nguoi truoc. https://l.vn/t/T1 Huy: https://l.vn/u/Zp4
	// Your turn is near: number A012, 3 ahead. https://l.vn/t/T1 Stop: https://l.vn/u/Zp4
}

func ExampleRender() {
	n := notify.Notice{Kind: notify.TicketCalled, Params: map[string]string{"number": "A012", "counter": "5"}}
	fmt.Println(notify.Render(n, "vi"))
	fmt.Println(notify.Render(n, "en"))
	// Output:
	// Đến lượt bạn Xin mời số A012 đến quầy 5.
	// It is your turn Number A012, please go to counter 5.
}
