/*
 * scrub_words.c - common English words (and the slang young people write) that
 * are not names or handles: "snap: loads of..." and "my insta is private" stay
 * as written, while "snap: jessx" and "my insta is jadeyyy" do not.  Sorted, lower
 * case, ASCII; scrub_common_word also tries the word without a plural or verb
 * ending.  Deliberately short of names that are also words (jade, ruby, grace).
 */
#include <stdlib.h>
#include <string.h>

#include "scrub_int.h"

static const char *const scrub_words[] = {
	"a", "ability", "able", "about", "above", "absolutely", "abuse", "acc", "accepted",
	"access", "accident", "accidents", "account", "accounts", "across", "act", "action",
	"activities", "activity", "actual", "actually", "add", "added", "addicted",
	"addicting", "addiction", "addictive", "adopted", "ads", "adult", "adults", "advert",
	"advertising", "adverts", "advice", "affect", "afford", "afghan", "afraid", "african",
	"after", "again", "against", "age", "aged", "ages", "ago", "agree", "agreed", "ahead",
	"aim", "albanian", "alcohol", "alive", "all", "allowed", "almost", "alone", "along",
	"alot", "already", "alright", "also", "always", "am", "amazing", "american", "amount",
	"an", "and", "anger", "angry", "animal", "animals", "annoying", "anonymous", "another",
	"answer", "anxiety", "anxious", "any", "anybody", "anymore", "anyone", "anything",
	"anyway", "anywhere", "apart", "app", "appointment", "appointments", "apprenticeship",
	"approach", "apps", "apr", "april", "arab", "are", "area", "arent", "argue",
	"argument", "arguments", "around", "arrive", "art", "as", "asian", "ask", "asked",
	"asking", "asleep", "assembly", "at", "atheist", "attack", "attacked", "attention",
	"aug", "august", "autistic", "available", "avoid", "aware", "awareness", "away",
	"awful", "awkward", "baby", "back", "background", "bad", "badly", "bag", "ball",
	"band", "bangladeshi", "bank", "banned", "bare", "barely", "basically", "bath",
	"bathroom", "battery", "bc", "be", "beat", "beautiful", "because", "become", "bed",
	"bedroom", "been", "before", "begin", "behaviour", "behind", "being", "believe",
	"benefit", "benefits", "best", "better", "between", "bi", "big", "bigger", "bike",
	"bill", "birthday", "bit", "bits", "black", "blame", "blind", "block", "blocked",
	"body", "book", "books", "bored", "boring", "boss", "both", "bots", "bottom", "bought",
	"boy", "boys", "brain", "brave", "bread", "break", "breakfast", "bridge", "bring",
	"british", "bro", "broke", "broken", "brother", "brought", "bruh", "bruv", "btw",
	"buddhist", "budget", "build", "building", "built", "bulgarian", "bullied", "bullies",
	"bully", "bullying", "burn", "bus", "buses", "busy", "but", "buy", "by", "bye", "cafe",
	"call", "called", "calls", "calm", "came", "camera", "cameras", "can", "cant", "cap",
	"car", "card", "cards", "care", "career", "careers", "careful", "carer", "carers",
	"caribbean", "caring", "cars", "case", "cash", "cat", "catholic", "caught", "cause",
	"centre", "certain", "certainly", "challenges", "chance", "chances", "change",
	"changed", "channel", "charity", "chat", "chats", "chatters", "chatting", "cheap",
	"cheaper", "cheat", "cheating", "check", "child", "children", "chill", "chips",
	"choice", "choose", "christian", "church", "cinema", "city", "class", "classes",
	"classroom", "clean", "clear", "clearly", "clever", "close", "closed", "clothes",
	"club", "clubs", "coach", "coffee", "cold", "college", "come", "comes", "comfortable",
	"comment", "comments", "common", "community", "company", "compare", "comparing",
	"complain", "completely", "computer", "concentrate", "confidence", "confident",
	"confusing", "consent", "constantly", "content", "control", "cook", "cooking", "cool",
	"cos", "cost", "costs", "could", "couldnt", "council", "counsellor", "country",
	"course", "courses", "cover", "covid", "coz", "crazy", "creepy", "crime", "cringe",
	"crisis", "cruel", "cry", "crying", "culture", "cute", "cuz", "cyber", "cyberbullying",
	"dad", "daily", "damage", "dance", "danger", "dangerous", "dark", "data", "date",
	"day", "days", "dead", "deaf", "deal", "dear", "death", "debt", "dec", "december",
	"decent", "decide", "decision", "definitely", "deleted", "depressed", "depressing",
	"depression", "deserve", "design", "detention", "device", "did", "didnt", "die",
	"diet", "different", "difficult", "dinner", "disability", "disabled", "discrimination",
	"dislikes", "dm", "dms", "do", "doctor", "doctors", "does", "doesnt", "dog", "doing",
	"done", "dont", "door", "down", "drama", "drink", "drinking", "drive", "driving",
	"drop", "drug", "drugs", "dumb", "dunno", "during", "dyslexic", "dyspraxic", "each",
	"early", "easier", "easily", "easy", "eat", "eating", "education", "effort", "either",
	"else", "email", "embarrassing", "emergency", "empty", "end", "energy", "english",
	"enjoy", "enough", "entire", "environment", "equal", "eritrean", "escape",
	"especially", "european", "even", "event", "events", "ever", "every", "everybody",
	"everyday", "everyone", "everything", "everywhere", "evidence", "exactly", "exam",
	"example", "exams", "except", "excited", "excluded", "exercise", "expensive",
	"experience", "explain", "extra", "eye", "eyes", "face", "fail", "failed", "fair",
	"fairly", "fake", "fall", "fam", "families", "family", "famous", "fan", "far",
	"fashion", "fast", "fat", "father", "fault", "favourite", "fear", "feb", "february",
	"fee", "feed", "feel", "feeling", "feelings", "feels", "felt", "few", "field", "fight",
	"fighting", "film", "films", "filter", "filters", "final", "finally", "find", "fine",
	"finish", "fire", "first", "fit", "fix", "floor", "focus", "follow", "followers",
	"following", "fomo", "food", "football", "for", "force", "forever", "forget", "forgot",
	"form", "fortnite", "forums", "forward", "fostered", "fr", "free", "fri", "friday",
	"friend", "friendly", "friends", "friendship", "from", "front", "full", "fun", "funny",
	"future", "gambling", "game", "games", "gaming", "gang", "gangs", "garden", "gay",
	"gender", "general", "generally", "genuinely", "german", "get", "gets", "getting",
	"ghanaian", "girl", "girls", "give", "given", "glad", "go", "goal", "god", "goes",
	"going", "gone", "gonna", "good", "got", "gotta", "government", "grade", "grades",
	"great", "grim", "groomers", "grooming", "ground", "group", "groups", "grow", "guess",
	"guys", "gym", "hacked", "hackers", "had", "hair", "half", "hand", "hands", "hang",
	"happen", "happened", "happens", "happy", "harassment", "hard", "harder", "hardly",
	"harm", "has", "hate", "hated", "hates", "have", "havent", "having", "he", "head",
	"health", "healthy", "hear", "heard", "heart", "heat", "heavy", "hell", "hello",
	"help", "helpful", "helpline", "helplines", "helps", "her", "here", "hers", "hes",
	"hey", "heya", "hi", "hidden", "hide", "high", "him", "hindu", "his", "hit", "hiya",
	"hobby", "hold", "holiday", "holidays", "home", "homework", "honest", "honestly",
	"hope", "hopefully", "horrible", "hospital", "hot", "hour", "hours", "house",
	"housing", "how", "however", "huge", "hungry", "hurt", "husband", "hype", "i", "id",
	"idc", "idea", "ideas", "identity", "idk", "if", "ignore", "ignored", "ikr", "ill",
	"illegal", "im", "image", "images", "imo", "impact", "important", "improve", "in",
	"include", "including", "income", "increase", "indian", "influencers", "info",
	"information", "innit", "inside", "instance", "instead", "interest", "interesting",
	"internet", "into", "iranian", "iraqi", "irish", "irl", "is", "island", "isnt",
	"issue", "issues", "it", "italian", "its", "itself", "ive", "jamaican", "jan",
	"january", "jealous", "jewish", "jk", "job", "jobs", "join", "joke", "jokes", "jul",
	"july", "jump", "jun", "june", "junk", "just", "keep", "kenyan", "kept", "key", "kid",
	"kids", "kill", "kind", "kinda", "kinds", "knife", "knives", "know", "known", "lack",
	"language", "large", "last", "late", "later", "latvian", "law", "lazy", "learn",
	"learning", "learnt", "least", "leave", "led", "left", "legal", "lemme", "lesbian",
	"less", "lesson", "lessons", "let", "lets", "letter", "level", "library", "lie",
	"lies", "life", "light", "lights", "like", "liked", "likely", "likes", "line", "list",
	"listen", "listened", "listening", "lit", "literally", "lithuanian", "little", "live",
	"living", "lmao", "load", "loads", "local", "location", "lock", "locked", "lol",
	"lonely", "long", "look", "looking", "looks", "loss", "lost", "lot", "lots", "loud",
	"love", "loved", "low", "lower", "lowkey", "luck", "lucky", "lunch", "machine", "mad",
	"made", "main", "mainly", "make", "makes", "making", "man", "many", "map", "mar",
	"march", "maths", "matter", "maybe", "me", "meal", "meals", "mean", "means", "media",
	"medical", "medicine", "meet", "meeting", "member", "members", "meme", "memes",
	"mental", "mention", "mess", "message", "messages", "messaging", "met", "mid",
	"middle", "might", "mind", "mine", "minecraft", "minute", "minutes", "miss", "missed",
	"mistake", "mixed", "mobile", "model", "moment", "mon", "monday", "money", "month",
	"months", "mood", "more", "morning", "most", "mostly", "mother", "move", "moved",
	"movie", "movies", "much", "mum", "music", "muslim", "must", "my", "myself", "na",
	"nah", "name", "names", "nasty", "nature", "near", "nearly", "need", "needs",
	"negative", "neighbour", "neighbours", "nepali", "nervous", "network", "never", "new",
	"news", "next", "ngl", "nice", "nigerian", "night", "no", "nobody", "noise",
	"nonbinary", "none", "nope", "normal", "normally", "not", "note", "nothing", "notice",
	"nov", "november", "now", "nudes", "number", "numbers", "nurse", "obviously", "oct",
	"october", "of", "off", "offer", "office", "officer", "officers", "often", "oh", "ok",
	"okay", "okk", "old", "older", "omg", "on", "once", "one", "ones", "online", "only",
	"open", "or", "order", "organise", "organised", "original", "other", "others", "our",
	"out", "outdoors", "outside", "over", "own", "page", "pain", "pakistani", "paper",
	"parent", "parents", "park", "parks", "part", "party", "pass", "past", "path", "pay",
	"peace", "peak", "peer", "peers", "people", "per", "perfect", "period", "person",
	"personal", "personally", "phone", "phones", "photo", "photos", "physical", "pick",
	"picture", "pictures", "piece", "place", "plan", "planet", "plans", "plant", "play",
	"played", "player", "players", "playing", "please", "pls", "plz", "pocket", "point",
	"police", "policy", "polish", "poor", "popular", "positive", "possibly", "post",
	"posted", "posts", "poverty", "power", "ppl", "practice", "predator", "predators",
	"prefer", "present", "pressure", "pretty", "prevent", "price", "prices", "prison",
	"private", "prize", "probably", "problem", "problems", "process", "product",
	"programme", "project", "promise", "proper", "properly", "protect", "protection",
	"proud", "provide", "pub", "public", "punish", "purpose", "put", "queer", "question",
	"questions", "quick", "quickly", "quiet", "quite", "r", "race", "racism", "racist",
	"rain", "raise", "random", "range", "rarely", "rate", "rather", "reach", "read",
	"ready", "real", "realise", "reality", "really", "reason", "reasons", "receive",
	"recently", "record", "reels", "related", "relationship", "relationships", "religion",
	"remember", "rent", "report", "reported", "reporting", "respect", "response",
	"responsible", "rest", "result", "results", "revision", "rich", "ride", "right",
	"risk", "rn", "road", "roads", "roblox", "role", "romanian", "room", "rough", "round",
	"route", "rubbish", "rude", "rule", "rules", "run", "running", "rural", "russian",
	"sad", "safe", "safety", "said", "salary", "sales", "same", "sat", "saturday", "save",
	"saw", "say", "says", "scam", "scammers", "scared", "scary", "scheme", "school",
	"science", "score", "scottish", "screen", "screenshots", "scrolling", "search",
	"season", "seat", "second", "secret", "security", "see", "seen", "self", "send",
	"sending", "sends", "sense", "sent", "sep", "sept", "september", "serious",
	"seriously", "servers", "service", "services", "session", "set", "sex", "sexual",
	"shame", "share", "shared", "she", "shop", "shops", "short", "shorts", "should",
	"shouldnt", "shout", "show", "shows", "shy", "sick", "side", "sign", "signs", "sikh",
	"silly", "simple", "simply", "since", "single", "sister", "site", "size", "skate",
	"skills", "skin", "sleep", "slightly", "slow", "slowly", "small", "smh", "smoke",
	"smoking", "so", "social", "society", "soft", "somali", "some", "someone", "something",
	"sometimes", "son", "song", "songs", "soon", "sorry", "sort", "sorta", "sorts",
	"sound", "space", "spam", "speak", "special", "speed", "spend", "spent", "sport",
	"sports", "spot", "sri", "staff", "stage", "stairs", "stand", "start", "started",
	"state", "station", "stay", "step", "stick", "stolen", "stop", "stopped", "store",
	"stories", "story", "straight", "strange", "strangers", "streak", "streaks",
	"streamers", "streams", "street", "streets", "stress", "stressed", "stressful",
	"strong", "stuck", "student", "students", "study", "stuff", "stupid", "subject",
	"subjects", "subs", "subscribers", "success", "such", "suicide", "summer", "sun",
	"sunday", "super", "support", "supported", "supportive", "sure", "surely", "sus",
	"swearing", "syrian", "system", "table", "take", "taken", "takes", "talent", "talk",
	"talking", "tax", "tbh", "teach", "teacher", "teachers", "teaching", "team", "tech",
	"technology", "teen", "teenager", "teenagers", "teens", "tell", "term", "terrible",
	"test", "tests", "text", "texts", "than", "thanks", "that", "thats", "the", "theatre",
	"their", "them", "then", "therapy", "there", "theres", "these", "they", "theyre",
	"thing", "things", "think", "thinking", "this", "tho", "those", "though", "thought",
	"threat", "threats", "through", "thu", "thur", "thurs", "thursday", "thx", "ticket",
	"tickets", "tiktoks", "till", "time", "times", "tip", "tired", "to", "today",
	"together", "told", "too", "took", "top", "topic", "total", "totally", "touch", "town",
	"toxic", "toy", "track", "traffic", "train", "training", "trans", "transport",
	"travel", "treat", "treated", "trends", "tried", "trip", "trips", "trolls", "trouble",
	"true", "truly", "trust", "truth", "try", "trying", "tryna", "tue", "tues", "tuesday",
	"turned", "tv", "twice", "ty", "type", "u", "ugly", "ukrainian", "ultimately", "under",
	"understand", "unfair", "unfortunately", "unhappy", "uni", "uniform", "university",
	"unless", "unsafe", "until", "up", "upset", "upstairs", "ur", "us", "use", "used",
	"useful", "useless", "uses", "using", "usually", "value", "vape", "vapes", "vaping",
	"very", "victim", "video", "videos", "view", "views", "village", "violence", "violent",
	"visit", "voice", "volunteer", "vote", "wage", "wait", "walk", "walking", "wall",
	"wanna", "want", "wanted", "wants", "war", "warm", "was", "wasnt", "waste", "watch",
	"watching", "water", "way", "we", "weather", "website", "websites", "wed", "wednesday",
	"week", "weekend", "weekends", "weeks", "weight", "weird", "welcome", "well",
	"wellbeing", "welsh", "went", "were", "what", "whatever", "when", "where", "which",
	"while", "white", "who", "whole", "why", "wifi", "wild", "will", "win", "window",
	"winter", "wish", "with", "without", "woke", "woman", "women", "wonder", "wont",
	"word", "words", "work", "world", "worried", "worry", "worse", "worst", "would",
	"wouldnt", "write", "writing", "wrong", "x", "xx", "xxx", "ya", "ye", "yea", "yeah",
	"year", "years", "yep", "yes", "yesterday", "yet", "yh", "you", "young", "youngsters",
	"your", "youre", "yourself", "youth", "yup", "zone",
};

#define NWORDS (sizeof scrub_words / sizeof scrub_words[0])

static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* 1 if w (already lower case, NUL-ended) is in the list. */
static int listed(const char *w)
{
	return bsearch(w, scrub_words, NWORDS, sizeof scrub_words[0], cmp_word) != NULL;
}

int scrub_common_word(const char *s, size_t n)
{
	char w[SCRUB_WORD_MAX + 4];
	static const char *const endings[] = { "s", "es", "ed", "ing", "ly", "er", "ers" };

	if (n == 0 || n > SCRUB_WORD_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (c == '\'' || c >= 0x80 || !((c >= 'a' && c <= 'z')))
			return 0;
		w[i] = (char)c;
	}
	w[n] = '\0';
	if (listed(w))
		return 1;
	/* Plurals and verb forms of a listed word: "screenshots", "posting". */
	for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
		size_t k = strlen(endings[e]);
		if (n > k + 2 && strcmp(w + n - k, endings[e]) == 0) {
			w[n - k] = '\0';
			if (listed(w))
				return 1;
			w[n - k] = endings[e][0];
		}
	}
	if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
		memcpy(w + n - 3, "y", 2);
		if (listed(w))
			return 1;
	}
	/* Endings no name or handle has: "challenging", "awareness", "harmful",
	 * and nationalities: "Kurdish", "Chinese". */
	static const char *const suffixes[] = { "ing", "ness", "ment", "tion", "ious", "ful", "less",
		"ish", "ese" };
	for (size_t e = 0; e < sizeof suffixes / sizeof suffixes[0]; e++) {
		size_t k = strlen(suffixes[e]);
		if (n >= k + 3 && strcmp(w + n - k, suffixes[e]) == 0)
			return 1;
	}
	return 0;
}
