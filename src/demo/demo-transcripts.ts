/**
 * Caption tracks for the demo account: short, original introductory lectures, served by the
 * a fake fetch (see `createDeps`) so the demo never calls Panopto. Each lecture
 * is written one caption per line, the way Panopto splits speech, and turned into SRT below.
 */

/** The made-up Panopto host the demo Canvas course links to. */
export const DEMO_PANOPTO_ORIGIN = 'https://demo.hosted.panopto.com';

// About 2.6 spoken words a second, the pace of a relaxed lecture, with a short gap between captions.
const WORDS_PER_SECOND = 2.6;
const GAP_MS = 120;

export interface DemoLecture {
  /** Panopto delivery id (lower-case GUID). */
  guid: string;
  title: string;
  /** The Viewer link a Canvas ExternalUrl item carries. */
  url: string;
}

const CELL_MEMBRANES = `[MUSIC]
>> Good morning, everyone. Today we start our unit on the cell membrane.
Every cell you will ever study is wrapped in one,
and almost everything a cell does depends on what crosses it.
The membrane is built from phospholipids.
Each phospholipid has a head that loves water
and two fatty acid tails that avoid it.
Put millions of them in water and they arrange themselves
into two layers, tails pointing inward, heads facing out.
That is the lipid bilayer,
and it forms without any enzyme or energy input at all.
The interior of the bilayer is oily,
so small nonpolar molecules like oxygen and carbon dioxide
slip straight through by simple diffusion.
Charged ions and large polar molecules such as glucose cannot.
For those, the cell uses membrane proteins.
Channel proteins form pores that let specific ions flow
down their concentration gradient.
Carrier proteins bind a molecule, change shape,
and release it on the other side.
Both of these are passive transport:
no energy is spent, and movement is always downhill.
When a cell needs to move something uphill,
against its gradient, it pays with ATP.
The classic example is the sodium potassium pump,
which pushes three sodium ions out and two potassium ions in
for every ATP it hydrolyses.
One last idea before the break.
We call this arrangement the fluid mosaic model.
Fluid, because lipids and many proteins drift sideways within the layer.
Mosaic, because proteins are scattered through it like tiles.
Cholesterol tucked between the lipids keeps the membrane
from becoming too stiff in the cold or too loose in the heat.
>> Is the membrane the same on both sides?
>> Good question. No, it isn't.
The two layers carry different lipids and proteins,
and sugar chains on the outer face act as identification tags.
We will come back to that when we talk about the immune system.
[MUSIC]`;

const SUPPLY_AND_DEMAND = `Welcome back. Today is the single most used model in economics:
supply and demand.
Let's start with demand.
Demand describes how much of a good buyers want
at each possible price, holding everything else constant.
As the price of coffee rises, people buy less of it.
Some switch to tea, some simply drink fewer cups.
That inverse relationship is the law of demand,
and it is why the demand curve slopes downward.
Supply is the other side of the market.
It describes how much sellers are willing to offer at each price.
Higher prices make production more profitable,
so farmers plant more coffee and roasters run longer shifts.
The supply curve therefore slopes upward.
Where the two curves cross, we find the equilibrium.
At that price, the quantity buyers want
exactly matches the quantity sellers offer.
If the price were higher, coffee would pile up unsold,
and sellers would cut prices to clear their stock.
If the price were lower, shelves would empty
and buyers would bid the price back up.
Now, an important distinction.
A change in price moves us along a curve.
A change in anything else shifts the whole curve.
Suppose a frost destroys part of the Brazilian harvest.
At every price, less coffee is available,
so the supply curve shifts to the left.
The new equilibrium has a higher price and a lower quantity.
Or suppose a study reports that coffee improves memory.
Demand shifts to the right,
and both price and quantity rise.
For next week, read chapter four
and try the problem set on price ceilings,
which asks what happens when the law forbids the market
from reaching its equilibrium.`;

const LINEAR_REGRESSION = `Okay, let's get started.
Today we fit our first statistical model: simple linear regression.
Here is the setting.
We have pairs of observations, say hours studied and exam score,
and we suspect the score rises roughly in a straight line with hours.
We write the model as y equals beta zero plus beta one times x,
plus an error term.
Beta zero is the intercept, the expected score with zero hours of study.
Beta one is the slope, the expected gain for each extra hour.
The error term collects everything the line does not explain:
sleep, prior knowledge, plain luck.
How do we choose the line?
For any candidate line, each data point has a residual,
the vertical distance between the observed score and the line.
Ordinary least squares picks the intercept and slope
that make the sum of squared residuals as small as possible.
Why squared?
Squaring treats misses above and below the line the same,
punishes large misses more than small ones,
and gives us a closed form solution.
The slope estimate turns out to be the covariance of x and y
divided by the variance of x.
The fitted line always passes through the point of means.
Once we have a fit, we ask how good it is.
R squared tells us the share of the variance in y
that the line accounts for.
An R squared of zero point six means sixty percent of the spread
in exam scores lines up with hours studied.
But be careful.
A high R squared does not mean the relationship is causal,
and it does not mean a straight line was the right shape.
Always plot the residuals.
If they fan out or curve, the model's assumptions are broken.
In the lab on Thursday you'll fit this model in Python
and check the residual plots yourself.`;

const FRENCH_REVOLUTION = `Good afternoon.
Today we turn to France in 1789,
the year an old political order began to collapse.
To understand why, start with money.
France had spent heavily on wars, including support for the American Revolution,
and by the late 1780s the crown was close to bankruptcy.
The tax system made things worse.
Society was divided into three estates.
The clergy formed the first, the nobility the second,
and everyone else, perhaps ninety-seven percent of the population,
formed the third.
The first two estates were largely exempt from direct taxes.
So the burden fell on peasants, artisans and the middle classes.
In May 1789, Louis the Sixteenth summoned the Estates General
to approve new taxes.
Each estate was to vote as a single bloc,
which meant the privileged orders could always outvote the third.
The deputies of the third estate refused to accept that.
In June they declared themselves a National Assembly
and swore, in a tennis court at Versailles,
not to disband until France had a constitution.
Then Paris moved.
On the fourteenth of July, crowds stormed the Bastille,
a fortress and prison that stood for royal power.
Over the summer, peasants attacked manor houses
and burned the records of their feudal dues.
In August, the Assembly abolished feudal privileges
and adopted the Declaration of the Rights of Man and of the Citizen,
which proclaimed that men are born free and equal in rights.
Notice how quickly a financial crisis
became a question of who holds sovereignty.
Next time we will follow the Revolution
as it radicalises, from constitutional monarchy to republic and then to the Terror.`;

const PLATE_TECTONICS = `Hi everyone, and welcome to week two.
Last time we saw that the Earth has layers.
Today we see that its outer shell moves.
The lithosphere, the crust plus the rigid upper mantle,
is broken into about a dozen large plates
and many smaller ones.
They ride on the asthenosphere,
a layer of mantle that is hot enough to flow very slowly.
Plates move a few centimetres a year,
roughly as fast as your fingernails grow.
What we notice are the boundaries, where plates meet.
There are three kinds.
At divergent boundaries, plates pull apart.
Magma rises to fill the gap and makes new ocean floor.
The Mid-Atlantic Ridge is the textbook case,
and Iceland sits right on top of it.
At convergent boundaries, plates collide.
When ocean meets continent, the denser oceanic plate sinks beneath,
in a process called subduction.
That gives us deep trenches and chains of volcanoes,
like the Andes.
When two continents collide, neither sinks easily,
so the crust crumples upward.
That is how the Himalayas formed, and they are still rising.
At transform boundaries, plates slide past each other sideways.
Nothing is created or destroyed,
but the plates lock, build up strain, and then slip suddenly.
The San Andreas Fault in California is one of these,
and that sudden slip is what we feel as an earthquake.
The strongest evidence for all this comes from the sea floor.
Rocks on either side of a ridge record reversals of Earth's magnetic field
in matching stripes, like a barcode printed twice.
For Friday, look at the world map of earthquakes in your reader
and see if you can trace the plate boundaries yourself.`;

const MEMBRANE_TRANSPORT = `>> Welcome back. Last time we built the membrane; today we ask what gets through it.
Small, uncharged molecules such as oxygen and carbon dioxide
slip between the phospholipids on their own.
That is simple diffusion, and it always runs downhill,
from high concentration to low.
Ions and sugars cannot cross the oily middle of the bilayer.
They need proteins.
Channel proteins form a water-filled pore,
and carrier proteins change shape to move a molecule across.
When these proteins only let things flow downhill,
we call it facilitated diffusion. It costs the cell no energy.
Active transport is different. It pumps a substance uphill,
against its concentration gradient, and it pays with ATP.
The classic example is the sodium-potassium pump.
Each cycle pushes three sodium ions out and brings two potassium ions in.
Finally, osmosis is the diffusion of water across a membrane.
Water moves toward the side with more dissolved particles.
Put a red blood cell in pure water and it swells until it bursts.
For next week, sketch the pump cycle in four steps and label where ATP is used.`;

const LECTURES: ReadonlyArray<{ guid: string; title: string; captions: string }> = [
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b01',
    title: 'Lecture 1 – The cell membrane',
    captions: CELL_MEMBRANES,
  },
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b02',
    title: 'Lecture 2 – Supply and demand',
    captions: SUPPLY_AND_DEMAND,
  },
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b03',
    title: 'Lecture 3 – Simple linear regression',
    captions: LINEAR_REGRESSION,
  },
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b04',
    title: 'Lecture 4 – France in 1789',
    captions: FRENCH_REVOLUTION,
  },
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b05',
    title: 'Lecture 5 – Plate tectonics',
    captions: PLATE_TECTONICS,
  },
  {
    guid: '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b06',
    title: 'Lecture 1b – Membrane transport',
    captions: MEMBRANE_TRANSPORT,
  },
];

/** The demo lectures, in course order. */
export const DEMO_LECTURES: readonly DemoLecture[] = LECTURES.map(({ guid, title }) => ({
  guid,
  title,
  url: `${DEMO_PANOPTO_ORIGIN}/Panopto/Pages/Viewer.aspx?id=${guid}`,
}));

/** SRT caption tracks keyed by each demo lecture's Panopto delivery id (the provider's ref). */
export const DEMO_RECORDINGS: Readonly<Record<string, string>> = Object.fromEntries(
  LECTURES.map(({ guid, captions }) => [guid, toSrt(captions)]),
);

function toSrt(captions: string): string {
  let clock = 1500;
  return captions
    .split('\n')
    .map((line, index) => {
      const words = line.split(' ').length;
      const startMs = clock;
      const endMs = startMs + Math.max(1200, Math.round((words / WORDS_PER_SECOND) * 1000));
      clock = endMs + GAP_MS;
      return `${index + 1}\n${srtTime(startMs)} --> ${srtTime(endMs)}\n${line}\n`;
    })
    .join('\n');
}

function srtTime(ms: number): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const seconds = Math.floor(ms / 1000);
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)},${pad(ms % 1000, 3)}`;
}
