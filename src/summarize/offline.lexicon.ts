/**
 * Word lists and patterns for the offline summarizer, tuned on spoken lecture captions. Data, not
 * logic: edit freely, and bump the `offline:v<n>` settings key when the notes change.
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
gone gonna good got great had hadn has hasn have haven having he her here hers herself him himself
his hmm how however i if in into is isn it its itself just kind knew know known knows last least
lecture lectures less let lets like little ll look looked looking looks lot lots made make makes
making many may maybe me might mine module more most much must my myself need needed needs neither
never new next nice no nobody none nor not nothing now of off often ok okay on once one only onto or
other others otherwise our ours ourselves out over own part per perhaps pretty put puts quite rather
re really right said same saw say saying says second section see seeing seen sees shall she should
shouldn simply since so some somebody someone something sometimes somewhat sort still student
students such sure take taken takes talk talked talking tell than that the their theirs them
themselves then there therefore these they thing things think thinks third this those though thought
three through thus to today together told too took toward towards tried tries try two uh um under
until up upon us use used uses using ve very via video videos wanna want wanted wants was wasn way
ways we week weeks well went were weren what whatever when whenever where whether which while who
whoever whole whom whose why will with within without won would wouldn yeah yes yet you your yours
yourself yourselves number zero`.split(/\s+/),
);

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
    /\b(?:as you can see|you can see|here we go|click|scroll|this cell|in this video|next video|thank you)\b/i,
    0.5,
  ],
  [/\?$/, 0.6],
  // Openings that lean on the previous sentence read badly on their own.
  [/^(?:it|they|he|she|here|there|that|second|third|the (?:second|third) one)\b/i, 0.85],
  [/^(?:okay|ok|alright|all right|um|uh|so|well|right)\b/i, 0.85],
  // "I'm computing ..." is usually narration of a live demo rather than content.
  [/^I(?:'m|'ve| am| have)?\b/, 0.8],
  // Cue phrases (Edmundson): overviews, definitions and conclusions are what notes are for.
  [
    /\b(?:in this (?:module|lecture|course|section|chapter|video)|the (?:goal|idea|purpose) of|(?:is|are) (?:called|defined as|known as)|refers? to|in (?:summary|conclusion)|to summarize|the (?:main|key) (?:idea|point)|most important)\b/i,
    1.3,
  ],
];
