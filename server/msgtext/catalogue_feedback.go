package msgtext

// feedbackEntries are the messages of the feedback domain and its configuration file (server/feedback, server/feedbackfile).
var feedbackEntries = []Entry{}
