import { useId } from 'react';

/** The words these blocks need; both languages' catalogues have them under these keys. */
type PartyWord = 'doc.from' | 'doc.billTo' | 'doc.shipTo';

interface Party {
  name: string;
  lines: string[];
}

/**
 * Who a document is from and to, as its PDF says it: the business's name and letterhead, "Bill to" and, when the
 * client has one, "Ship to". Printing keeps these (the page's frame, with the business's name, is not printed).
 */
export function DocumentParties({
  from,
  billTo,
  shipTo,
  t,
}: {
  from: Party;
  billTo: Party;
  shipTo: Party | null;
  t: (key: PartyWord) => string;
}) {
  const id = useId();
  const parties: Array<[PartyWord, Party]> = [
    ['doc.from', from],
    ['doc.billTo', billTo],
    ...(shipTo ? [['doc.shipTo', shipTo] as [PartyWord, Party]] : []),
  ];
  return (
    <div className="parties">
      {parties.map(([word, party]) => (
        <section key={word} className="party" aria-labelledby={`${id}-${word}`}>
          <h2 className="party-label" id={`${id}-${word}`}>
            {t(word)}
          </h2>
          <p className={word === 'doc.from' ? 'party-name from-name' : 'party-name'}>{party.name}</p>
          {party.lines.map((line, index) => (
            // Address lines have no identity but their order.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <p key={index} className="party-line">
              {line}
            </p>
          ))}
        </section>
      ))}
    </div>
  );
}
