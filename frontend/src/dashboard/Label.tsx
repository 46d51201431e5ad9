// Japanese first, English as secondary text.
export function Label({ ja, en }: { ja: string; en: string | null | undefined }) {
  return (
    <>
      {ja}
      {en ? (
        <>
          {' '}
          <small lang="en" className="en">
            {en}
          </small>
        </>
      ) : null}
    </>
  );
}
