// Reference Socket.IO 4 server for the socketio component tests.
// Namespace /events; a client is accepted only with "Authorization: Bearer <t>" where t is listed in TOKENS
// (comma separated), as Zou checks its JWT from that header at connect only.
// Control: one command per stdin line. Report: one line per happening on stdout, read by the test.
//   emit <event> <json>         broadcast one argument (any JSON value: object, number, "string", null ...)
//   emit-args <event> <array>   broadcast the array's elements as separate arguments ([] = no argument)
//   kick                        server-side disconnect of every client (socket.disconnect(true))
//   close-connections           close every client's connection cleanly (WebSocket close handshake) and keep
//                               listening, as an nginx reload or a worker recycled behind a proxy does
//   shutdown                    graceful shutdown (io.close()): clean close of every connection, stop listening
//   cut                         destroy every client's TCP connection, no WebSocket close frame
//   exit                        stop the process at once, like a crashed server
const http = require('http');
const readline = require('readline');
const { Server } = require('socket.io');

const port = Number(process.env.PORT);
const tokens = new Set((process.env.TOKENS || '').split(',').filter((t) => t.length > 0));

function report(...words) {
  process.stdout.write(words.join(' ') + '\n');
}

const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ['websocket'] });
const events = io.of('/events');
const connections = new Set(); // raw TCP connections, for "cut"
httpServer.on('connection', (connection) => {
  connections.add(connection);
  connection.on('close', () => connections.delete(connection));
});

events.use((socket, next) => {
  const header = socket.handshake.headers['authorization'] || '';
  const token = header.startsWith('Bearer ') ? header.substring('Bearer '.length) : '';
  if (tokens.has(token)) {
    socket.data.token = token;
    next();
  } else {
    report('rejected', token || '-');
    next(new Error('unauthorized'));
  }
});

events.on('connection', (socket) => {
  report('connected', socket.data.token);
  socket.on('disconnect', (reason) => report('disconnected', reason));
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, event] = line.split(' ', 2);
  const json = line.substring(command.length + (event ? event.length + 2 : 1));
  try {
    switch (command) {
      case 'emit':
        events.emit(event, JSON.parse(json));
        report('emitted', event);
        break;
      case 'emit-args':
        events.emit(event, ...JSON.parse(json));
        report('emitted', event);
        break;
      case 'kick':
        events.disconnectSockets(true);
        report('kicked');
        break;
      case 'close-connections':
        Object.values(io.engine.clients).forEach((client) => client.close());
        report('closed-connections');
        break;
      case 'shutdown':
        io.close(() => report('shut-down')); // called once every connection has ended
        report('shutting-down');
        break;
      case 'cut':
        connections.forEach((connection) => connection.destroy());
        report('cut');
        break;
      case 'exit':
        process.exit(0);
        break;
      default:
        report('unknown-command', command);
    }
  } catch (e) {
    report('error', e.message);
  }
}).on('close', () => process.exit(0)); // the test JVM went away: do not linger

httpServer.listen(port, '127.0.0.1', () => report('listening', port));
