"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``.

``tests/api/test_openapi.py`` checks it against the app's routes (every ``/api/`` route and
method documented, nothing documented that does not exist) and validates it with
openapi-spec-validator.
"""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Mã lỗi ổn định, để chương trình xử lý.",
                    "enum": [
                        "invalid_input", "invalid_file", "csrf_failed", "unauthenticated",
                        "invalid_token", "password_change_required", "forbidden", "not_found",
                        "method_not_allowed",
                        "conflict", "too_large", "unsupported_media_type", "unprocessable",
                        "too_many_requests", "internal_error", "unavailable",
                    ],
                },
                "message": {"type": "string", "description": "Thông báo tiếng Việt."},
            },
        }
    },
}  # fmt: skip

_JOB = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string"},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "message": {"type": "string"},
        "error": {"type": ["string", "null"]},
        "result": {"type": ["object", "null"]},
        "ready": {"type": "boolean"},
        "successful": {"type": "boolean"},
    },
}

_INCOMING = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "error": {"type": ["string", "null"]},
        "filename": {"type": "string"},
        "uploaded_at": {"type": "string", "format": "date-time"},
        "url": {"type": "string", "description": "Trang HTML của văn bản."},
        "api_url": {"type": "string", "description": "Tài nguyên API của văn bản."},
        "job": {"type": ["string", "null"]},
        "status_url": {"type": ["string", "null"]},
        "duplicate": {"type": "boolean"},
        "message": {"type": "string"},
        "fields": {"type": "object", "description": "Các trường đã đọc (khi đã đọc xong)."},
        "corrections": {"type": "object"},
    },
}

_FINDING = {
    "type": "object",
    "properties": {
        name: {"type": "string"}
        for name in (
            "key", "label", "check", "rule", "severity", "location", "found", "confidence",
            "confidence_label",
        )
    },
}  # fmt: skip

_FINDING_REF = "#/components/schemas/Finding"
_CHECK = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "progress": {"type": "integer"},
        "ready": {"type": "boolean"},
        "error": {"type": ["string", "null"]},
        "url": {"type": "string"},
        "report": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string"},
                        "profile": {"type": "string"},
                        "errors": {"type": "integer"},
                        "warnings": {"type": "integer"},
                        "findings": {"type": "array", "items": {"$ref": _FINDING_REF}},
                    },
                },
            ]
        },
    },
}  # fmt: skip


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {
        400: "Dữ liệu gửi lên không hợp lệ (hoặc thiếu mã CSRF khi dùng phiên đăng nhập).",
        401: "Chưa xác thực: thiếu hoặc sai mã truy cập API.",
        403: "Vai trò của tài khoản không được dùng chức năng này.",
        404: "Không có bản ghi này trong cơ quan của tài khoản.",
        413: "Tệp quá lớn.",
        422: "Tệp không kiểm tra được (rỗng, không phải .docx).",
    }
    return {str(status): _json("Error", texts[status]) for status in statuses}


def _id(name: str, kind: str = "string") -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": kind}}]


def _202(schema: str, description: str) -> dict[str, Any]:
    answer = _json(schema, description)
    answer["headers"] = {
        "Location": {"description": "Tài nguyên API để theo dõi.", "schema": {"type": "string"}}
    }
    return answer


def openapi_document(server: str = "") -> dict[str, Any]:
    """The description; ``server`` is the base URL the app is reached at."""
    secured: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"sessionCookie": []}]
    paths: dict[str, Any] = {
        "/api/openapi.json": {
            "get": {
                "summary": "Mô tả OpenAPI này",
                "operationId": "openapi",
                "security": [],
                "responses": {"200": {"description": "Tài liệu OpenAPI 3.1 (JSON)."}},
            }
        },
        "/api/toi": {
            "get": {
                "summary": "Tài khoản đang xác thực",
                "operationId": "me",
                "responses": {
                    "200": {
                        "description": "Người dùng, vai trò, cơ quan; cách xác thực.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(401),
                },
            }
        },
        "/api/csrf-token": {
            "get": {
                "summary": "Mã CSRF cho chương trình dùng phiên đăng nhập (cookie)",
                "description": "Gửi lại trong tiêu đề X-CSRFToken ở mọi POST. Không cần khi "
                "xác thực bằng mã truy cập API (Authorization: Bearer).",
                "operationId": "csrfToken",
                "responses": {
                    "200": {
                        "description": "Mã CSRF.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(401),
                },
            }
        },
        "/api/jobs/{job_id}": {
            "get": {
                "summary": "Trạng thái một tác vụ nền",
                "operationId": "jobStatus",
                "parameters": _id("job_id"),
                "responses": {"200": _json("Job", "Trạng thái tác vụ."), **_errors(401, 404)},
            }
        },
        "/api/van-ban-den": {
            "post": {
                "summary": "Tải lên văn bản cấp trên để đọc",
                "description": "Tệp (multipart, trường file) hoặc văn bản (trường text, hoặc "
                'JSON {"text": "…"}). Cùng một tệp lần hai: 200 với duplicate=true.',
                "operationId": "uploadIncoming",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {"text": {"type": "string"}},
                            }
                        },
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "text": {"type": "string"},
                                },
                            }
                        },
                    },
                },
                "responses": {
                    "202": _202("Incoming", "Đã nhận; đang chờ đọc."),
                    "200": _json("Incoming", "Văn bản này đã được tải lên trước đó."),
                    **_errors(400, 401, 403, 413),
                },
            }
        },
        "/api/van-ban-den/{incoming_id}": {
            "get": {
                "summary": "Một văn bản cấp trên: trạng thái đọc và các trường đã đọc",
                "operationId": "incoming",
                "parameters": _id("incoming_id", "integer"),
                "responses": {
                    "200": _json("Incoming", "Văn bản."),
                    **_errors(401, 403, 404),
                },
            }
        },
        "/api/kiem-tra-the-thuc": {
            "post": {
                "summary": "Kiểm tra thể thức một tệp .docx (NĐ 30/2020, Phụ lục I)",
                "description": "Việc kiểm tra chạy nền; theo dõi tài nguyên ở Location.",
                "operationId": "checkFormat",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "allow_academic_titles": {"type": "string", "enum": ["1", "0"]},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "202": _202("Check", "Đã nhận; đang chờ kiểm tra."),
                    **_errors(400, 401, 403, 413, 422),
                },
            }
        },
        "/api/kiem-tra-the-thuc/{job_id}": {
            "get": {
                "summary": "Kết quả kiểm tra thể thức (report khi xong, error nếu không được)",
                "operationId": "checkResult",
                "parameters": _id("job_id"),
                "responses": {"200": _json("Check", "Trạng thái."), **_errors(401, 403, 404)},
            }
        },
    }  # fmt: skip
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Văn thư số — API",
            "version": "1",
            "description": "Xác thực bằng mã truy cập API (Tài khoản → Mã truy cập API) trong "
            "tiêu đề Authorization: Bearer <mã>, hoặc bằng phiên đăng nhập kèm X-CSRFToken. "
            'Mọi lỗi có dạng {"error": {"code": "…", "message": "…"}}.',
        },
        "servers": [{"url": server or "/"}],
        "security": secured,
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Error": _ERROR,
                "Job": _JOB,
                "Incoming": _INCOMING,
                "Finding": _FINDING,
                "Check": _CHECK,
            },
        },
    }
