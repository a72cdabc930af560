/// The OpenAPI 3.1 document of the JSON API (`/api/v1/…` and `/healthz`), served at
/// `GET /api/v1/openapi.json`. This literal is the one source: docs/openapi.json is a copy of
/// `served`, byte for byte, and OpenAPITests fails when the two differ (its failure says how to
/// copy it again) or when a route and the document disagree.
enum OpenAPIDocument {
    /// What `GET /api/v1/openapi.json` answers, and what docs/openapi.json holds.
    static var served: String { json + "\n" }

    /// The document. Written to say what the routes really do: read APIRoutes, WriteRoutes,
    /// UploadRoutes, Problem and Gate before changing it.
    static let json = #"""
{
  "openapi": "3.1.1",
  "info": {
    "title": "Bridges",
    "version": "1",
    "description": "The JSON API of bridges serve (server.md). A browser signs in (POST /api/v1/sign-in) and sends its cookie, plus on every write the csrfToken of GET /api/v1/me as X-CSRF-Token; a script sends Authorization: Bearer TOKEN (bridges token create). Bodies are JSON (UTF-8) unless said; dates are YYYY-MM-DD; ids are strings exactly as in the roster. Every error is application/problem+json; nothing is written when a request fails. An object outside the caller's schools answers 404, exactly as one that does not exist."
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "server"
    },
    {
      "name": "accounts"
    },
    {
      "name": "rosters"
    },
    {
      "name": "lessons"
    },
    {
      "name": "sessions"
    },
    {
      "name": "certificates"
    },
    {
      "name": "reports"
    }
  ],
  "paths": {
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Whether the server and its database answer",
        "tags": [
          "server"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The database answers.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string",
                  "const": "ok\n"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "operationId": "openAPIDocument",
        "summary": "This document",
        "tags": [
          "server"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document of the JSON API.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sign-in": {
      "post": {
        "operationId": "signIn",
        "summary": "Sign in: sets the session cookie",
        "description": "Ten wrong passwords in a row lock the account for a while (401, saying until when).",
        "tags": [
          "accounts"
        ],
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Credentials"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Signed in: the caller, with the CSRF token its writes must carry.",
            "headers": {
              "Set-Cookie": {
                "required": true,
                "description": "The sign-in cookie bridges_session (HttpOnly, SameSite=Strict, Path=/; Secure behind an https --public-url).",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sign-out": {
      "post": {
        "operationId": "signOut",
        "summary": "Sign out: ends the cookie's sign-in",
        "tags": [
          "accounts"
        ],
        "security": [
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "responses": {
          "204": {
            "description": "Signed out; the cookie is cleared.",
            "headers": {
              "Set-Cookie": {
                "required": true,
                "description": "The sign-in cookie bridges_session (HttpOnly, SameSite=Strict, Path=/; Secure behind an https --public-url).",
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "The caller came with an API token, which is not a sign-in (revoke it with bridges token revoke).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/me": {
      "get": {
        "operationId": "me",
        "summary": "The caller",
        "tags": [
          "accounts"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "responses": {
          "200": {
            "description": "The caller.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/classes": {
      "get": {
        "operationId": "listClasses",
        "summary": "The classes the caller may see",
        "tags": [
          "rosters"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "responses": {
          "200": {
            "description": "The classes of the caller's schools, by school and id.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Class"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/classes/{id}/students": {
      "get": {
        "operationId": "listStudents",
        "summary": "A class's enrolled students",
        "tags": [
          "rosters"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The class id.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The students, by family name, given name and id.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Student"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/lessons": {
      "get": {
        "operationId": "listLessons",
        "summary": "The lessons stored",
        "tags": [
          "lessons"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "parameters": [
          {
            "name": "program",
            "in": "query",
            "required": false,
            "description": "Only this program's lessons (404 when no such program is stored); empty: every program's.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The lessons, as lesson list shows them.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Lesson"
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sessions": {
      "post": {
        "operationId": "logSession",
        "summary": "Log one session",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "Idempotency-Key",
            "in": "header",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            },
            "description": "A random id the client makes once for this session and sends again with every retry (1 to 200 printable characters); missing: 400."
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewSession"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The same Idempotency-Key with the same body again: the session logged the first time, nothing written.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionId"
                }
              }
            }
          },
          "201": {
            "description": "Logged.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionId"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "description": "The lesson is already logged for the class on that day; existingSession names that session. Nothing written.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "422": {
            "description": "The Idempotency-Key was used with another body; session names the session logged under it. Nothing written.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      },
      "get": {
        "operationId": "listSessions",
        "summary": "Sessions, as session list",
        "description": "An empty query value is the same as none.",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "parameters": [
          {
            "name": "class",
            "in": "query",
            "required": false,
            "description": "Only this class's (404 when the caller may not see it).",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "program",
            "in": "query",
            "required": false,
            "description": "Only this program's.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "On or after this day (YYYY-MM-DD).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "On or before this day (YYYY-MM-DD).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The sessions of the caller's schools that match.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Session"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sessions/{id}": {
      "get": {
        "operationId": "showSession",
        "summary": "One session, as session show",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The session id.",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The session, its marks, quiz scores and corrections.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SessionDetail"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sessions/{id}/amendments": {
      "post": {
        "operationId": "amendSession",
        "summary": "Change one student's mark, as session amend",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The session id.",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Amendment"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Amended (or already so: changed is false).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AmendmentResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sessions/{id}/void": {
      "post": {
        "operationId": "voidSession",
        "summary": "Void a session, as session void",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The session id.",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Void"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Voided.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/VoidResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/sessions/{id}/quiz-attempts": {
      "post": {
        "operationId": "recordQuizAttempt",
        "summary": "Record and mark a quiz attempt, as quiz record",
        "tags": [
          "sessions"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The session id.",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/QuizAttempt"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Recorded: the score, and the student's best so far.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/QuizResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/rosters": {
      "post": {
        "operationId": "importRoster",
        "summary": "Import a roster, as roster import",
        "description": "A school admin imports its own schools' rows only: a row of another school is an error (400).",
        "tags": [
          "rosters"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "dry-run",
            "in": "query",
            "required": false,
            "description": "true, 1 or yes: check and count, write nothing; absent or any other value: import.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "filename",
            "in": "query",
            "required": false,
            "description": "The name diagnostics call the file (one printable line, at most 200 characters); else upload.csv or upload.zip.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "description": "A roster CSV (the columns of cli.md) or a OneRoster export zipped; at most 64 MiB.",
          "content": {
            "text/csv": {
              "schema": {
                "type": "string"
              }
            },
            "application/csv": {
              "schema": {
                "type": "string"
              }
            },
            "application/zip": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/zip"
              }
            },
            "application/x-zip-compressed": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/zip"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "A dry run: what the import would do; nothing written.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RosterImport"
                }
              }
            }
          },
          "201": {
            "description": "Imported.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RosterImport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/lesson-plans": {
      "post": {
        "operationId": "loadLessonPlans",
        "summary": "Load lesson plans, as lesson load",
        "tags": [
          "lessons"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "parameters": [
          {
            "name": "filename",
            "in": "query",
            "required": false,
            "description": "The name diagnostics call the file; else upload.xml or upload.zip.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "description": "One lesson or program file (lesson-plan-format.md), or a program's folder zipped; at most 16 MiB.",
          "content": {
            "application/xml": {
              "schema": {
                "type": "string"
              }
            },
            "text/xml": {
              "schema": {
                "type": "string"
              }
            },
            "application/zip": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/zip"
              }
            },
            "application/x-zip-compressed": {
              "schema": {
                "type": "string",
                "contentMediaType": "application/zip"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Loaded.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LessonPlanLoad"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/certificates/issue": {
      "post": {
        "operationId": "issueCertificates",
        "summary": "Issue the certificates earned, as certificate issue",
        "tags": [
          "certificates"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": [],
            "csrfToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CertificateIssueRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "What was issued, per program.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/CertificateIssueResult"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    },
    "/api/v1/reports/{report}": {
      "get": {
        "operationId": "report",
        "summary": "A report as CSV, as report",
        "tags": [
          "reports"
        ],
        "security": [
          {
            "bearerToken": []
          },
          {
            "signInCookie": []
          }
        ],
        "parameters": [
          {
            "name": "report",
            "in": "path",
            "required": true,
            "description": "Which report (the columns of cli.md).",
            "schema": {
              "type": "string",
              "enum": [
                "attendance",
                "summary",
                "certificates",
                "program-report"
              ]
            }
          },
          {
            "name": "school",
            "in": "query",
            "required": false,
            "description": "Only this school.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "program",
            "in": "query",
            "required": false,
            "description": "Only this program.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "On or after this day (YYYY-MM-DD).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "On or before this day (YYYY-MM-DD).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "excel",
            "in": "query",
            "required": false,
            "description": "true: a file a spreadsheet opens as UTF-8.",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          },
          {
            "name": "purpose",
            "in": "query",
            "required": false,
            "description": "Why and for whom it is downloaded, kept in the disclosure log; required (400 without) for a report that names students: attendance, summary and certificates.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The report, streamed; its download is recorded as a disclosure.",
            "headers": {
              "Content-Disposition": {
                "required": true,
                "schema": {
                  "type": "string"
                },
                "description": "attachment, with the file name report would write."
              }
            },
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "500": {
            "$ref": "#/components/responses/ServerError"
          },
          "503": {
            "$ref": "#/components/responses/Busy"
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Problem": {
        "type": "object",
        "description": "An error (RFC 9457). Every failure of the API has this body, with the located diagnostics the command line would print.",
        "required": [
          "type",
          "title",
          "status",
          "detail",
          "diagnostics"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "Always about:blank: the status says what kind of failure it is.",
            "const": "about:blank"
          },
          "title": {
            "type": "string",
            "description": "The status's reason phrase."
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599,
            "description": "The HTTP status, again."
          },
          "detail": {
            "type": "string",
            "description": "What went wrong and what to do, in a sentence."
          },
          "code": {
            "type": "string",
            "description": "Bridges' stable code of the failure (usage.date, not-found.student), for programs; absent for failures of the HTTP layer."
          },
          "fields": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The request's fields the failure is about, by their names in the API; absent when none."
          },
          "diagnostics": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Diagnostic"
            },
            "description": "Every located finding in an uploaded file or a body; empty when there are none."
          },
          "existingSession": {
            "type": "integer",
            "format": "int64",
            "description": "On a 409 of POST /api/v1/sessions: the session already logged for that lesson, class and date."
          },
          "session": {
            "type": "integer",
            "format": "int64",
            "description": "On a 422 of POST /api/v1/sessions: the session logged under that Idempotency-Key."
          }
        }
      },
      "Diagnostic": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string",
            "description": "The file as the client named it (the filename query parameter of an upload)."
          },
          "line": {
            "type": "integer",
            "minimum": 0
          },
          "column": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "code": {
            "type": "string",
            "pattern": "^[a-z]+(-[a-z]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$",
            "description": "The kind of finding, stable across releases (docs/diagnostic-codes.md lists them), e.g. roster.student-name-conflict."
          },
          "message": {
            "type": "string"
          }
        },
        "required": [
          "file",
          "line",
          "column",
          "severity",
          "code",
          "message"
        ]
      },
      "Finding": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string"
          },
          "line": {
            "type": "integer",
            "minimum": 0
          },
          "column": {
            "type": "integer",
            "minimum": 0,
            "description": "Absent when the finding is about a whole line."
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "code": {
            "type": "string",
            "description": "The kind of finding, stable across releases (docs/diagnostic-codes.md)."
          },
          "message": {
            "type": "string"
          }
        },
        "required": [
          "file",
          "line",
          "severity",
          "code",
          "message"
        ],
        "description": "A warning or error found in an uploaded file that was loaded."
      },
      "Severity": {
        "type": "string",
        "enum": [
          "error",
          "warning"
        ]
      },
      "Role": {
        "type": "string",
        "enum": [
          "officer",
          "coordinator",
          "school-admin",
          "district-admin",
          "auditor"
        ]
      },
      "AttendanceStatus": {
        "type": "string",
        "enum": [
          "present",
          "late",
          "absent",
          "excused"
        ]
      },
      "Credentials": {
        "type": "object",
        "properties": {
          "username": {
            "type": "string"
          },
          "password": {
            "type": "string"
          }
        },
        "required": [
          "username",
          "password"
        ]
      },
      "Me": {
        "type": "object",
        "properties": {
          "username": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "schools": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The school ids the account is given; empty for a role that sees every school."
          },
          "officer": {
            "type": [
              "string",
              "null"
            ],
            "description": "The officer id an officer account logs as; null for other roles."
          },
          "csrfToken": {
            "type": [
              "string",
              "null"
            ],
            "description": "The token a signed-in browser sends as X-CSRF-Token with every write; null for a caller with an API token."
          }
        },
        "required": [
          "username",
          "role",
          "schools",
          "officer",
          "csrfToken"
        ],
        "description": "The caller."
      },
      "Class": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "schoolId": {
            "type": "string"
          },
          "students": {
            "type": "integer",
            "minimum": 0,
            "description": "How many students are enrolled."
          }
        },
        "required": [
          "id",
          "name",
          "schoolId",
          "students"
        ]
      },
      "Student": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "givenName": {
            "type": "string"
          },
          "familyName": {
            "type": "string"
          },
          "grade": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "givenName",
          "familyName",
          "grade"
        ]
      },
      "Lesson": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "programId": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "minutes": {
            "type": "integer",
            "minimum": 0
          }
        },
        "required": [
          "id",
          "programId",
          "title",
          "version",
          "minutes"
        ]
      },
      "NewSession": {
        "type": "object",
        "properties": {
          "lesson": {
            "type": "string",
            "description": "The lesson id."
          },
          "class": {
            "type": "string",
            "description": "The class id."
          },
          "date": {
            "type": "string",
            "description": "The day it was taught (YYYY-MM-DD), not in the future.",
            "format": "date"
          },
          "minutes": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 1,
            "maximum": 600,
            "description": "The minutes taught; absent or null: the lesson's own length."
          },
          "marks": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/AttendanceStatus"
            },
            "description": "Each enrolled student's status, by student id."
          },
          "note": {
            "type": [
              "string",
              "null"
            ]
          },
          "officer": {
            "type": [
              "string",
              "null"
            ],
            "description": "The officer who taught it; required for a role other than officer, ignored for an officer (who logs as itself)."
          }
        },
        "required": [
          "lesson",
          "class",
          "date",
          "marks"
        ]
      },
      "SessionId": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          }
        },
        "required": [
          "id"
        ]
      },
      "StatusCounts": {
        "type": "object",
        "properties": {
          "present": {
            "type": "integer",
            "minimum": 0
          },
          "late": {
            "type": "integer",
            "minimum": 0
          },
          "absent": {
            "type": "integer",
            "minimum": 0
          },
          "excused": {
            "type": "integer",
            "minimum": 0
          }
        },
        "required": [
          "present",
          "late",
          "absent",
          "excused"
        ]
      },
      "Session": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer",
            "format": "int64"
          },
          "date": {
            "type": "string",
            "format": "date"
          },
          "programId": {
            "type": "string"
          },
          "lessonId": {
            "type": "string"
          },
          "lessonVersion": {
            "type": "integer"
          },
          "lessonTitle": {
            "type": "string"
          },
          "schoolId": {
            "type": "string"
          },
          "classId": {
            "type": "string"
          },
          "officerId": {
            "type": "string"
          },
          "minutes": {
            "type": "integer"
          },
          "note": {
            "type": "string",
            "description": "Absent when the session has none."
          },
          "recordedAt": {
            "type": "string"
          },
          "recordedBy": {
            "type": "string",
            "description": "The account that logged it."
          },
          "voided": {
            "type": "boolean"
          },
          "counts": {
            "$ref": "#/components/schemas/StatusCounts"
          }
        },
        "required": [
          "id",
          "date",
          "programId",
          "lessonId",
          "lessonVersion",
          "lessonTitle",
          "schoolId",
          "classId",
          "officerId",
          "minutes",
          "recordedAt",
          "recordedBy",
          "voided",
          "counts"
        ],
        "description": "A session as session list shows it."
      },
      "Mark": {
        "type": "object",
        "properties": {
          "student": {
            "type": "string"
          },
          "givenName": {
            "type": "string"
          },
          "familyName": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/AttendanceStatus"
          },
          "quizAttempts": {
            "type": "integer",
            "minimum": 0
          },
          "bestEarned": {
            "type": "integer",
            "description": "Absent until the student has a quiz attempt."
          },
          "bestPossible": {
            "type": "integer"
          }
        },
        "required": [
          "student",
          "givenName",
          "familyName",
          "status",
          "quizAttempts"
        ]
      },
      "Correction": {
        "type": "object",
        "properties": {
          "at": {
            "type": "string"
          },
          "actor": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "field": {
            "type": "string"
          },
          "oldValue": {
            "type": "string"
          },
          "newValue": {
            "type": "string"
          },
          "reason": {
            "type": "string"
          }
        },
        "required": [
          "at",
          "actor",
          "action"
        ]
      },
      "SessionDetail": {
        "type": "object",
        "properties": {
          "session": {
            "$ref": "#/components/schemas/Session"
          },
          "voidReason": {
            "type": "string",
            "description": "Absent unless the session is voided."
          },
          "marks": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Mark"
            }
          },
          "corrections": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Correction"
            },
            "description": "The session's audit trail."
          }
        },
        "required": [
          "session",
          "marks",
          "corrections"
        ],
        "description": "A session as session show shows it: marks, quiz scores and corrections."
      },
      "Amendment": {
        "type": "object",
        "properties": {
          "student": {
            "type": "string",
            "minLength": 1
          },
          "status": {
            "$ref": "#/components/schemas/AttendanceStatus"
          },
          "reason": {
            "type": "string",
            "description": "Why; kept in the audit trail.",
            "minLength": 1
          }
        },
        "required": [
          "student",
          "status",
          "reason"
        ]
      },
      "AmendmentResult": {
        "type": "object",
        "properties": {
          "session": {
            "type": "integer",
            "format": "int64"
          },
          "student": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/AttendanceStatus"
          },
          "previousStatus": {
            "$ref": "#/components/schemas/AttendanceStatus",
            "description": "Absent when the student had no mark."
          },
          "changed": {
            "type": "boolean"
          }
        },
        "required": [
          "session",
          "student",
          "status",
          "changed"
        ]
      },
      "Void": {
        "type": "object",
        "properties": {
          "reason": {
            "type": "string",
            "description": "Why; kept in the audit trail.",
            "minLength": 1
          }
        },
        "required": [
          "reason"
        ]
      },
      "VoidResult": {
        "type": "object",
        "properties": {
          "session": {
            "type": "integer",
            "format": "int64"
          },
          "voided": {
            "type": "boolean",
            "const": true
          }
        },
        "required": [
          "session",
          "voided"
        ]
      },
      "QuizAttempt": {
        "type": "object",
        "properties": {
          "student": {
            "type": "string",
            "minLength": 1
          },
          "answers": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "description": "Each answered question's response, by question id."
          }
        },
        "required": [
          "student",
          "answers"
        ]
      },
      "QuizQuestion": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "response": {
            "type": "string",
            "description": "Absent when unanswered."
          },
          "earned": {
            "type": "integer"
          },
          "possible": {
            "type": "integer"
          }
        },
        "required": [
          "id",
          "earned",
          "possible"
        ]
      },
      "QuizResult": {
        "type": "object",
        "properties": {
          "session": {
            "type": "integer",
            "format": "int64"
          },
          "student": {
            "type": "string"
          },
          "attempt": {
            "type": "integer",
            "minimum": 1
          },
          "earned": {
            "type": "integer"
          },
          "possible": {
            "type": "integer"
          },
          "percent": {
            "type": "number"
          },
          "passed": {
            "type": "boolean"
          },
          "bestPercent": {
            "type": "number"
          },
          "bestPassed": {
            "type": "boolean"
          },
          "unanswered": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "questions": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/QuizQuestion"
            }
          }
        },
        "required": [
          "session",
          "student",
          "attempt",
          "earned",
          "possible",
          "percent",
          "passed",
          "bestPercent",
          "bestPassed",
          "unanswered",
          "questions"
        ]
      },
      "CertificateIssueRequest": {
        "type": "object",
        "properties": {
          "program": {
            "type": "string",
            "description": "Only this program; absent or empty: every program."
          },
          "asOf": {
            "type": "string",
            "description": "The day of issue (YYYY-MM-DD); absent or empty: today.",
            "format": "date"
          }
        }
      },
      "CertificateIssueResult": {
        "type": "object",
        "properties": {
          "program": {
            "type": "string"
          },
          "issued": {
            "type": "integer"
          },
          "alreadyHeld": {
            "type": "integer"
          },
          "revokedSkipped": {
            "type": "integer"
          },
          "notEligible": {
            "type": "integer"
          }
        },
        "required": [
          "program",
          "issued",
          "alreadyHeld",
          "revokedSkipped",
          "notEligible"
        ]
      },
      "Tally": {
        "type": "object",
        "properties": {
          "added": {
            "type": "integer"
          },
          "changed": {
            "type": "integer"
          },
          "unchanged": {
            "type": "integer"
          }
        },
        "required": [
          "added",
          "changed",
          "unchanged"
        ]
      },
      "RosterImport": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string"
          },
          "format": {
            "type": "string"
          },
          "dryRun": {
            "type": "boolean"
          },
          "schools": {
            "$ref": "#/components/schemas/Tally"
          },
          "classes": {
            "$ref": "#/components/schemas/Tally"
          },
          "students": {
            "$ref": "#/components/schemas/Tally"
          },
          "enrollmentsAdded": {
            "type": "integer"
          },
          "enrollmentsRemoved": {
            "type": "integer"
          },
          "enrollmentsUnchanged": {
            "type": "integer"
          },
          "summary": {
            "type": "string"
          },
          "diagnostics": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          }
        },
        "required": [
          "file",
          "format",
          "dryRun",
          "schools",
          "classes",
          "students",
          "enrollmentsAdded",
          "enrollmentsRemoved",
          "enrollmentsUnchanged",
          "summary",
          "diagnostics"
        ],
        "description": "What roster import says."
      },
      "LessonPlanLoad": {
        "type": "object",
        "properties": {
          "file": {
            "type": "string"
          },
          "files": {
            "type": "integer"
          },
          "added": {
            "type": "integer"
          },
          "updated": {
            "type": "integer"
          },
          "unchanged": {
            "type": "integer"
          },
          "diagnostics": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          }
        },
        "required": [
          "file",
          "files",
          "added",
          "updated",
          "unchanged",
          "diagnostics"
        ],
        "description": "What lesson load says."
      }
    },
    "responses": {
      "BadRequest": {
        "description": "Bad input: the body, a query value or a header could not be used. Every diagnostic is in the body; nothing was written.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "Not signed in, or the Authorization header's token is unknown, revoked or expired (any route, a public one included, refuses a bad token).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "required": true,
            "schema": {
              "type": "string",
              "const": "Bearer realm=\"bridges\""
            }
          }
        }
      },
      "Forbidden": {
        "description": "Signed in, but the role may not do this; or a signed-in browser's write without the X-CSRF-Token of GET /api/v1/me.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "Not found, or outside the caller's schools (the same answer).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooLarge": {
        "description": "The body is larger than this address accepts; nothing was written.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The body's Content-Type is not one this address takes.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Busy": {
        "description": "The database is busy or does not answer; try again after Retry-After seconds.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Seconds."
          }
        }
      },
      "ServerError": {
        "description": "The server could not complete the request; nothing was written.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "securitySchemes": {
      "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token of bridges token create."
      },
      "signInCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "bridges_session",
        "description": "The cookie POST /api/v1/sign-in sets."
      },
      "csrfToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRF-Token",
        "description": "A signed-in browser's writes carry the csrfToken of GET /api/v1/me."
      }
    }
  }
}
"""#
}
