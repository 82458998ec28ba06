/**
 * A database client that counts its raw queries (`$queryRaw`, what the endpoint cache reads with)
 * and is otherwise the client itself: for tests of "at most one read per…".
 */
export function countingQueries<Client extends object>(client: Client): { client: Client; reads: { count: number } } {
  const reads = { count: 0 };
  const counting = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property !== "$queryRaw" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        reads.count++;
        return Reflect.apply(value, target, args) as unknown;
      };
    },
  });
  return { client: counting, reads };
}
