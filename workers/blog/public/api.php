<?php
// JSON endpoint: echoes what it received, including the path info and the request body size.
header('Content-Type: application/json');
$body = file_get_contents('php://input');
echo json_encode([
    'method' => $_SERVER['REQUEST_METHOD'],
    'SCRIPT_NAME' => $_SERVER['SCRIPT_NAME'],
    'SCRIPT_FILENAME' => $_SERVER['SCRIPT_FILENAME'],
    'PATH_INFO' => $_SERVER['PATH_INFO'] ?? null,
    'QUERY_STRING' => $_SERVER['QUERY_STRING'],
    'REQUEST_URI' => $_SERVER['REQUEST_URI'],
    'SERVER_NAME' => $_SERVER['SERVER_NAME'],
    'REMOTE_ADDR' => $_SERVER['REMOTE_ADDR'],
    'HTTP_PROXY' => $_SERVER['HTTP_PROXY'] ?? null,
    'CONTENT_LENGTH' => $_SERVER['CONTENT_LENGTH'] ?? null,
    'body_bytes' => strlen($body),
    'body_md5' => md5($body),
    'cookies' => $_COOKIE,
]), "\n";
