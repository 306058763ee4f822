from __future__ import annotations

from django.core.management.base import BaseCommand

from feeds.demo_server import DEMO_DIR, serve


class Command(BaseCommand):
    help = "Serve the demo feeds over HTTP on loopback (make run starts it beside the app)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)

    def handle(self, *args, host: str, port: int, **options) -> None:
        server = serve(host, port)
        names = ", ".join(
            sorted(p.name for p in DEMO_DIR.iterdir() if p.suffix in (".rss", ".atom"))
        )
        self.stdout.write(f"demo feeds on http://{host}:{port}/ ({names})")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
