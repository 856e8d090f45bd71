import { type ReactNode, useId } from 'react';

/** One titled region of the lab; `area` places it in the grid. */
export function Panel({
  title,
  area,
  actions,
  children,
}: {
  title: string;
  area: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="panel" style={{ gridArea: area }} aria-labelledby={id} data-panel={area}>
      <header className="panel-head">
        <h2 id={id}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** What an unfinished panel shows: plainly not built, no fake controls. */
export function NotBuiltYet({ what }: { what: string }) {
  return (
    <p className="not-built" role="note">
      Not built yet: {what}
    </p>
  );
}
