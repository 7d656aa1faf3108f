package msgtext

// open311Entries are the messages of Open311 (server/open311).
var open311Entries = []Entry{}
