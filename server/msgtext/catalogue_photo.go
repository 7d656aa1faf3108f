package msgtext

// photoEntries are the messages of the photo pipeline (server/photo).
var photoEntries = []Entry{}
