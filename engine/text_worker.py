"""The text worker process: one JSON request ({"script": ...}) a line in, its analysis a line out."""

from engine.text_metrics import analyze
from engine.workers import serve_json_lines

if __name__ == "__main__":
    serve_json_lines(lambda request: analyze(request["script"]))
