/**
 * The ceiling: a bare Fastify app answering {hello: 'world'} on 127.0.0.1:$PORT, in its own process like Portico's
 * server (bench/servers.ts starts it). Stops on SIGTERM.
 */
import Fastify from 'fastify';

const bare = Fastify();
bare.get('/', async () => ({ hello: 'world' }));
await bare.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.once('SIGTERM', () => {
  void bare.close().then(() => process.exit(0));
});
