/**
 * Splitting a whole amount over parts in proportion to their weights, in whole minor units, by the
 * largest-remainder method: each part gets the floor of its exact share, and the units left over go
 * one each to the parts with the largest remainders, ties to the earlier part. The parts always add
 * up to the amount, and no part is ever more than one unit from its exact share.
 */
export function allocateByLargestRemainder(amount: bigint, weights: readonly bigint[]): bigint[] {
  if (amount < 0n) throw new RangeError('Only a non-negative amount can be allocated.');
  if (weights.some((weight) => weight < 0n)) throw new RangeError('Weights must be non-negative.');
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0n);
  if (totalWeight === 0n) {
    if (amount !== 0n) throw new RangeError('Cannot allocate an amount over zero weights.');
    return weights.map(() => 0n);
  }

  const shares = weights.map((weight) => (amount * weight) / totalWeight);
  const remainders = weights.map((weight) => (amount * weight) % totalWeight);
  let leftover = amount - shares.reduce((sum, share) => sum + share, 0n);

  // A stable sort keeps earlier parts first among equal remainders.
  const byRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return shares;
}
