export default function Page() {
  return <p>consumer</p>;
}
