<?php
// Front controller of the sample blog: serves every path that has no script of its own.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$prefix = dirname($_SERVER['SCRIPT_NAME']);
$route = substr($path, strlen($prefix === '/' ? '' : $prefix)) ?: '/';

if ($route === '/' || $route === '/index.php') {
    $posts = [
        ['id' => 1, 'title' => 'Hello from PHP'],
        ['id' => 2, 'title' => 'Served over FastCGI'],
    ];
    header('Content-Type: text/html; charset=utf-8');
    echo "<!DOCTYPE html>\n<html><head><title>Blog</title></head><body>\n<h1>Blog</h1>\n<ul>\n";
    foreach ($posts as $post) {
        printf("<li><a href=\"%s/post.php?id=%d\">%s</a></li>\n",
            htmlspecialchars($prefix), $post['id'], htmlspecialchars($post['title']));
    }
    echo "</ul>\n<p><a href=\"" . htmlspecialchars($prefix) . "/comment.php\">Leave a comment</a></p>\n";
    echo "</body></html>\n";
    return;
}

// Any other path: report what the server passed, which the end-to-end tests read.
header('Content-Type: application/json');
echo json_encode([
    'front_controller' => true,
    'SCRIPT_NAME' => $_SERVER['SCRIPT_NAME'],
    'PATH_INFO' => $_SERVER['PATH_INFO'] ?? null,
    'QUERY_STRING' => $_SERVER['QUERY_STRING'],
    'REQUEST_URI' => $_SERVER['REQUEST_URI'],
]), "\n";
