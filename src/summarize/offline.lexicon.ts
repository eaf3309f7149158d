/**
 * Word lists and patterns for the offline summarizer, tuned on spoken lecture captions. Data, not
 * logic: edit freely, and bump the `offline-v<n>` version when the notes change.
 */

/**
 * English function words plus the filler of spoken lectures ("okay", "going", "let's look"), so
 * term weights go to subject words. Stems are checked too, so plurals need no entry.
 */
export const STOPWORDS = new Set(
  `a able about above actually after again against all almost along already alright also although
always am among an and another any anybody anyone anything anyway are aren around as at back
basically be became because become been before being below between bit both but by came can cannot
case cases come comes coming could couldn course dear did didn different do does doesn doing don
done down during each either else enough etc even ever every everybody everyone everything example
examples few first five for four from further gave get gets getting give given gives go goes going
gone gonna good got great guy guys had hadn has hasn have haven having he her here hers herself him
himself his hmm how however i if in into is isn it its itself just kind knew know known knows last
least lecture lectures less let lets like little ll look looked looking looks lot lots made make
makes making many may maybe me might mine module modules more most much must my myself need needed
needs neither never new next nice no nobody none nor not nothing now of off often ok okay on once
one only onto or other others otherwise our ours ourselves out over own part per perhaps pretty put
puts quite rather re really right said same saw say saying says second section see seeing seen sees
shall she should shouldn simply since so some somebody someone something sometimes somewhat sort
still student students such sure take taken takes talk talked talking tell than that the their
theirs them themselves then there therefore these they thing things think thinks third this those
though thought three through thus to today together told too took toward towards tried tries try two
uh um under until up upon us use used uses using ve very via video videos wanna want wanted wants was
wasn way ways we week weeks well went were weren what whatever when whenever where whether which
while who whoever whole whom whose why will with within without won would wouldn yeah yes yet you
your yours yourself yourselves number numbers zero stuff instance`.split(/\s+/),
);

/**
 * Verbs a lecturer says in passing ("we call this", "it means", "let me show"): fine inside a
 * sentence, never a key term on their own. Subject words that are also verbs in a field's jargon
 * (train, test, fit, learn, set, cluster, sample, weight, update) are deliberately absent.
 */
const VERB_BASES = `add agree allow appear apply ask assume become begin believe belong bring build
calculate call care carry change check choose click close come compute consider contain continue
cover create decide decrease define demonstrate denote depend describe determine differ discuss
divide do draw drop end exist expect explain feel fill find finish focus follow generate get give go
grab guess handle happen hear help hold hope illustrate imagine implement import improve include
increase introduce involve keep know leave let listen load look love make manage matter mean mention
mind move multiply need notice observe obtain open perform pick plug print produce provide put read
realize recall reduce refer remember repeat represent require run save say see seem show solve speak
start stay stop suppose take talk tell tend think try turn understand vary wait want watch wonder
work write`;

/** Forms the regular rules below cannot make. */
const IRREGULAR_VERB_FORMS = `began begun became brought built came chose chosen did done drew drawn
felt found gave given went gone got gotten held kept knew known left made meant put ran read said saw
seen spoke spoken stood took taken told thought understood was were wrote written`;

/** A base verb's inflections, over-generated ("maked") on purpose: a non-word never matches. */
function inflections(base: string): string[] {
  const last = base.at(-1) ?? '';
  const stem = base.endsWith('e') ? base.slice(0, -1) : base;
  const forms = [
    base,
    `${base}s`,
    `${base}es`,
    `${stem}ed`,
    `${stem}ing`,
    `${base}${last}ed`,
    `${base}${last}ing`,
  ];
  if (base.endsWith('y')) forms.push(`${base.slice(0, -1)}ies`, `${base.slice(0, -1)}ied`);
  return forms;
}

/** The verbs above, uninflected: "mean vector" and "run time" are phrases, "using NumPy" is not. */
export const VERB_BASE_FORMS: ReadonlySet<string> = new Set(VERB_BASES.split(/\s+/));

/** Every form of the verbs above. */
export const VERBS: ReadonlySet<string> = new Set([
  ...[...VERB_BASE_FORMS].flatMap(inflections),
  ...IRREGULAR_VERB_FORMS.split(/\s+/),
]);

/** Adverbs that do not end in "-ly" (those are caught by their ending). */
export const ADVERBS: ReadonlySet<string> = new Set(
  `ahead alone anyhow anymore anyway anywhere apart aside away else elsewhere everywhere hence indeed
instead later meanwhile moreover nonetheless nowhere often perhaps rather somehow somewhere soon
thereby therefore thus today tomorrow twice whereas yesterday`.split(/\s+/),
);

/**
 * Nouns too general to name a subject on their own ("time", "value", "approach"); inside a phrase
 * ("time series", "missing value") they are fine.
 */
export const GENERIC_NOUNS: ReadonlySet<string> = new Set(
  `answer approach area bunch couple end fact half idea level line order piece place point problem
question reason rest result side start step term time type value word`.split(/\s+/),
);

/** Words ending in "-ly" that are nouns, not adverbs. */
export const LY_NOUNS: ReadonlySet<string> = new Set(
  'anomaly assembly butterfly family italy july monopoly reply supply'.split(' '),
);

/** A sentence about another part of the course ("in the next module"), not this one. */
export const OTHER_PART =
  /\b(?:next|previous|past|last|upcoming|following) (?:modules?|lectures?|videos?|weeks?|class|sessions?)\b/i;

/**
 * Multipliers for sentences matching a pattern: below 1 for filler and sentences that do not
 * stand alone, above 1 for cue phrases.
 */
export const SENTENCE_ADJUSTMENTS: ReadonlyArray<[RegExp, number]> = [
  [
    /^(?:(?:okay|ok|so|now|alright|all right|and)\b,?\s*)*(?:let'?s|let us)\s+(?:\w+\s+)?(?:look|see|run|go|check|take|try|move|start|do|jump|switch)\b/i,
    0.3,
  ],
  [
    /\b(?:as you can see|you can see|you see|here we go|click|scroll|this cell|in this video|next video|thank you)\b/i,
    0.5,
  ],
  [OTHER_PART, 0.5],
  // "let's quickly mention ..." narrates the lecture rather than saying something.
  [/\blet'?s\b/i, 0.75],
  [/\?$/, 0.6],
  // Openings that lean on the previous sentence read badly on their own.
  [/^(?:it|they|he|she|here|there|that|this one|these|those|second|third|the (?:second|third) one)\b/i, 0.85],
  [/^(?:okay|ok|alright|all right|um|uh|so|well|right|and|but|or|because)\b/i, 0.85],
  // A word said twice in a row ("same, same thing") is a spoken stumble.
  [/\b(\p{L}{3,})\b,? \1\b/iu, 0.6],
  // "I'm computing ..." is usually narration of a live demo rather than content.
  [/^I(?:'m|'ve| am| have)?\b/, 0.8],
  // Cue phrases (Edmundson): overviews, definitions and conclusions are what notes are for.
  [
    /\b(?:in this (?:module|lecture|course|section|chapter|video)|the (?:goal|idea|purpose) of|(?:is|are) (?:called|defined as|known as)|refers? to|in (?:summary|conclusion)|to summarize|the (?:main|key) (?:idea|point)|most important)\b/i,
    1.3,
  ],
];

const UNIT = 'module|lecture|course|section|chapter|video|unit|class|talk|session|paper|article|reading';
const GREETINGS = 'okay|ok|so|well|now|hello|hi|welcome|everyone|dear students|today';
const GREETING = String.raw`(?:(?:${GREETINGS})\b[,.]?\s*)*`;
const OPENINGS = [
  String.raw`(?:in|for|during) this (?:(?:first|second|third|final) )?(?:${UNIT})\b`,
  `(?:this|the) (?:${UNIT}) (?:covers|introduces|presents|describes|is about|discusses|focuses)`,
  '(?:the|our) (?:goal|aim|purpose|focus) of (?:this|the|today)',
  String.raw`today\b`,
];
const AGENDA_VERBS = 'study|learn|discuss|cover|look at|talk about|introduce|explore|see how|focus on';
const AGENDA = String.raw`\bwe (?:will|are going to|'re going to|'ll|shall) (?:${AGENDA_VERBS})\b`;

/**
 * Sentences that announce what the lecture is about ("In this module, we will study supervised
 * learning"): an opening frame, or "we will study / discuss / look at ..." anywhere.
 */
export const OVERVIEW_CUES = new RegExp(`^${GREETING}(?:${OPENINGS.join('|')})|${AGENDA}`, 'i');
